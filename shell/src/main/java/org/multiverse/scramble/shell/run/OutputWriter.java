package org.multiverse.scramble.shell.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.multiverse.scramble.protocol.session.EventCounts;
import org.multiverse.scramble.protocol.text.EscapeStripper;
import org.multiverse.scramble.shell.parse.ParsedLine;
import org.multiverse.scramble.shell.render.ProtoJson;
import org.multiverse.scramble.shell.render.ResultRenderer;
import org.multiverse.scramble.shell.render.Style;

/**
 * Writes each command's outcome: for a person, rendered lines on stdout and
 * {@code FILE:LINE: reason} on stderr; with {@code --json}, one JSON object per command on
 * stdout, with these stable fields (documented in {@code shell/README.md}):
 * <pre>
 *   {"source":"deploy.scr","line":3,"command":"portal start","agent":"host","ok":true,"millis":41,"result":{...}}
 *   {"source":"deploy.scr","line":4,"command":"portal start","agent":"host","ok":false,
 *    "error":{"code":"NOT_FOUND","message":"...","exit":1}}
 * </pre>
 * A line that does not parse has {@code "command":null} and code {@code PARSE}; {@code --dry-run}
 * adds {@code "dry_run":true} and the checked {@code "arguments"} instead of a result.
 */
public final class OutputWriter {

    /** Jackson is loaded only when --json is used: a plain -c run starts faster without it. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;
    private final ResultRenderer renderer;
    private final Style style;

    public OutputWriter(PrintStream out, PrintStream err, boolean json, Style style) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.style = style;
        this.renderer = new ResultRenderer(style);
    }

    public boolean json() {
        return json;
    }

    /** A command that ran (or failed to). */
    public void executed(ScriptLine where, ParsedLine parsed, Execution e) {
        if (json) {
            ObjectNode o = head(where, parsed);
            o.put("ok", e.verdict().ok());
            if (e.verdict().ok()) {
                o.put("millis", e.millis());
                o.set("result", e.result() == null ? null : ProtoJson.toJson(e.result()));
                if (e.shellEvents() != null) {
                    o.set("shell_events", events(e.shellEvents()));
                }
            } else {
                o.set("error", error(e.verdict()));
            }
            emit(o);
        } else if (e.verdict().ok()) {
            if (e.result() != null) {
                List<String> lines = renderer.render(e.result());
                lines.forEach(out::println);
                if (e.shellEvents() != null) {
                    out.println(eventsLine(e.shellEvents()));
                }
            }
        }
        if (!e.verdict().ok()) {
            failed(where, e.verdict());
        }
        out.flush();
    }

    /** A line that did not parse. */
    public void parseFailed(ScriptLine where, Verdict v) {
        if (json) {
            ObjectNode o = head(where, null);
            o.put("ok", false);
            o.set("error", error(v));
            emit(o);
        }
        failed(where, v);
    }

    /** A line checked by {@code --dry-run}. */
    public void dryRun(ScriptLine where, ParsedLine p) {
        if (json) {
            ObjectNode o = head(where, p);
            o.put("ok", true);
            o.put("dry_run", true);
            ObjectNode args = o.putObject("arguments");
            for (Map.Entry<String, Object> a : p.args().all().entrySet()) {
                args.set(
                        a.getKey(),
                        Json.MAPPER.valueToTree(
                                a.getValue() instanceof java.time.Instant i ? i.toString() : a.getValue()));
            }
            emit(o);
        } else {
            out.println(where.where() + ": ok: " + p.spec().verbText() + " -> "
                    + p.target().text() + " agent (" + p.spec().kind()
                    + (p.spec().changesState() ? ", changes state" : "") + ")");
        }
    }

    private void failed(ScriptLine where, Verdict v) {
        String prefix = where.line() == 0 ? style.red("error") : where.where();
        err.println(
                prefix + ": " + (v.code().equals("RATE_LIMITED_LOCALLY") ? style.yellow(v.message()) : v.message()));
        err.flush();
    }

    private static ObjectNode head(ScriptLine where, ParsedLine p) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("source", where.origin());
        o.put("line", where.line());
        if (p == null) {
            o.putNull("command");
            o.putNull("agent");
        } else {
            o.put("command", p.spec().verbText());
            o.put("agent", p.target().text());
        }
        return o;
    }

    /** {@code events:   4 delivered, dropped stranger 1 (this shell's link, 2 live subscriptions)}. */
    static String eventsLine(EventCounts c) {
        return "events:   " + c.delivered() + " delivered, "
                + (c.droppedTotal() == 0 ? "none dropped" : "dropped " + c.droppedText())
                + " (this shell's link, " + c.live() + " live subscription" + (c.live() == 1 ? "" : "s") + ")";
    }

    private static ObjectNode events(EventCounts c) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("delivered", c.delivered());
        o.put("live_subscriptions", c.live());
        ObjectNode d = o.putObject("dropped");
        c.dropped().forEach((r, n) -> d.put(r.name().toLowerCase(java.util.Locale.ROOT), n));
        return o;
    }

    private static ObjectNode error(Verdict v) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("code", v.code());
        e.put("message", EscapeStripper.strip(v.message()));
        e.put("exit", v.exitCode());
        if (v.retryAfterMillis() > 0) {
            e.put("retry_after_millis", v.retryAfterMillis());
        }
        return e;
    }

    private void emit(ObjectNode o) {
        try {
            out.println(Json.MAPPER.writeValueAsString(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
