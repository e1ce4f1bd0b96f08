package org.multiverse.scramble.shell.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.ShellHarness;
import org.multiverse.scramble.shell.ShellHarness.Run;
import org.multiverse.scramble.shell.TinyHostModule;

/** Scripts against a real agent core (verification, policy, rate limits, audit, sealed replies) on a sim: link. */
class ScriptAgainstAgentTest {

    @TempDir
    Path tmp;

    private ShellHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ShellHarness(tmp);
        h.initIdentity();
        h.startAgent(ShellHarness.POLICY);
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    private List<String> trusted(String... more) {
        List<String> a = h.connect("--trust", h.agentId().text());
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void firstContactRefusesWithoutTrustThenPinsWithIt() throws Exception {
        Run refused = h.run(h.connect("-c", "agent ping"));
        assertEquals(ExitCodes.REFUSED, refused.exit(), refused.err());
        assertTrue(refused.err().contains(h.agentId().text()), "shows the ID to compare: " + refused.err());
        assertTrue(refused.err().contains("--trust"), refused.err());
        assertFalse(Files.exists(h.knownAgents()), "nothing pinned");

        Run ok = h.run(trusted("-c", "agent ping"));
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().startsWith("pong from agent"), ok.out());
        assertTrue(
                Files.readString(h.knownAgents()).contains("host " + h.agentId().text()));
        // Pinned now: no --trust needed.
        Run again = h.run(h.connect("-c", "agent status; audit tail -n 3"));
        assertEquals(0, again.exit(), again.err());
        assertTrue(
                again.out().contains("agent:")
                        && again.out().contains(h.agentId().text()),
                again.out());
        // A successful read-only query is counted into a per-minute summary entry, not listed on its own.
        assertFalse(again.out().contains("agent.status"), "the status call is not an entry of its own: " + again.out());
    }

    @Test
    void agentStatusTellsWhatThisShellDidWithTheAgentsEvents() throws Exception {
        Run r = h.run(trusted("-c", "agent subscribe; agent status"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(
                r.out().contains("events:   0 delivered, none dropped (this shell's link, 1 live subscription)"),
                r.out());
        Run json = h.run(trusted("--json", "-c", "agent status"));
        assertEquals(0, json.exit(), json.err());
        JsonNode events = new ObjectMapper().readTree(json.out().strip()).get("shell_events");
        assertEquals(0, events.get("delivered").asLong(), json.out());
        assertEquals(0, events.get("dropped").get("stranger").asLong(), json.out());
    }

    @Test
    void aChangedAgentKeyIsRefusedLoudly() throws Exception {
        assertEquals(0, h.run(trusted("-c", "agent ping")).exit());
        String old = h.agentId().text();
        h.replaceAgentIdentity(ShellHarness.POLICY);
        Run r = h.run(trusted("-c", "agent ping"));
        assertEquals(ExitCodes.REFUSED, r.exit(), r.err());
        assertTrue(r.err().contains("KEY HAS CHANGED"), r.err());
        assertTrue(r.err().contains(old) && r.err().contains(h.agentId().text()), r.err());
    }

    @Test
    void aFailingLineStopsTheScriptWithFileLineAndExitCode() throws Exception {
        Path script = tmp.resolve("deploy.scr");
        Files.writeString(script, """
                # define and start
                portal define web --template application/browser/firefox
                portal start nosuch
                portal start web
                """);
        Run r = h.run(trusted("-f", script.toString()));
        assertEquals(ExitCodes.FAILED, r.exit(), r.err());
        assertTrue(r.err().contains(script + ":3: no portal named nosuch"), r.err());
        assertEquals(0, TinyHostModule.STARTS.get() - startsBefore, "line 4 did not run");
    }

    private int startsBefore;

    @BeforeEach
    void countStarts() {
        startsBefore = TinyHostModule.STARTS.get();
    }

    @Test
    void keepGoingRunsTheRestAndExitsWithTheFirstFailure() throws Exception {
        Run r = h.run(trusted(
                "--keep-going",
                "-c",
                "portal define web --template application/browser/firefox; portal start nosuch; portal stop web; "
                        + "portal start web"));
        assertEquals(ExitCodes.FAILED, r.exit(), r.err());
        assertTrue(r.err().contains("-c:2: no portal named nosuch"), r.err());
        assertTrue(r.err().contains("-c:3: portal.stop: "), "policy denial reported: " + r.err());
        assertEquals(1, TinyHostModule.STARTS.get() - startsBefore, "line 4 ran");
    }

    @Test
    void policyDenialExitsThree() throws Exception {
        Run r = h.run(trusted("-c", "portal stop web"));
        assertEquals(ExitCodes.REFUSED, r.exit(), r.err());
        assertTrue(r.err().contains("-c:1: portal.stop"), r.err());
    }

    @Test
    void jsonOutputIsOneObjectPerCommand() throws Exception {
        Run r = h.run(trusted(
                "--json",
                "--keep-going",
                "-c",
                "portal define web --template application/browser/firefox; portal list; portal start nosuch; "
                        + "portl x; portal console tail web"));
        assertEquals(ExitCodes.FAILED, r.exit(), r.err());
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> rows = r.out()
                .lines()
                .map(l -> {
                    try {
                        return m.readTree(l);
                    } catch (Exception e) {
                        throw new AssertionError("not JSON: " + l, e);
                    }
                })
                .toList();
        assertEquals(5, rows.size(), r.out());
        assertEquals("portal define", rows.get(0).get("command").asText());
        assertTrue(rows.get(0).get("ok").asBoolean());
        assertEquals(
                "web", rows.get(0).get("result").get("portal_info").get("name").asText());
        assertEquals(
                "web",
                rows.get(1)
                        .get("result")
                        .get("portal_list")
                        .get("portals")
                        .get(0)
                        .get("name")
                        .asText());
        assertEquals(3, rows.get(2).get("line").asInt());
        assertEquals("NOT_FOUND", rows.get(2).get("error").get("code").asText());
        assertEquals(1, rows.get(2).get("error").get("exit").asInt());
        assertTrue(rows.get(3).get("command").isNull());
        assertEquals("PARSE", rows.get(3).get("error").get("code").asText());
        String line = rows.get(4)
                .get("result")
                .get("console_lines")
                .get("lines")
                .get(0)
                .asText();
        assertFalse(line.contains("\u001b") || line.contains("\u009b"), line);
        assertEquals("boot ok red done", line);
    }

    @Test
    void agentTextIsStrippedOnTheTerminalToo() throws Exception {
        Run r = h.run(trusted("-c", "portal console tail web"));
        assertEquals(0, r.exit(), r.err());
        assertEquals("boot ok red done\n", r.out());
    }

    @Test
    void dryRunSendsNothing() throws Exception {
        assertEquals(0, h.run(trusted("-c", "agent ping")).exit());
        long audit = h.auditLines();
        Path script = tmp.resolve("s.scr");
        Files.writeString(script, "portal define web --template application/browser/firefox\nportal start ${NAME}\n");
        Run r = h.run(Map.of("NAME", "web"), "", "--dry-run", "-f", script.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(
                r.out().contains(script + ":2: ok: portal start -> host agent (PORTAL_START, changes state)"), r.out());
        Run json = h.run(Map.of("NAME", "web"), "", "--dry-run", "--json", "-f", script.toString());
        JsonNode second =
                new ObjectMapper().readTree(json.out().lines().toList().get(1));
        assertTrue(second.get("dry_run").asBoolean());
        assertEquals("web", second.get("arguments").get("NAME").asText());
        Run bad = h.run("--dry-run", "-c", "portal list; portal start ${UNSET_NAME}; portal list");
        assertEquals(ExitCodes.USAGE, bad.exit());
        assertTrue(bad.err().contains("-c:2: ${UNSET_NAME} is not set"), bad.err());
        assertEquals(audit, h.auditLines(), "the agent's audit log is unchanged");
        assertEquals(0, TinyHostModule.STARTS.get() - startsBefore);
    }

    @Test
    void commandsOnStdinAndOnTheCommandLine() throws Exception {
        Run stdin = h.run(Map.of(), "agent ping\nportal templates\n", trusted().toArray(String[]::new));
        assertEquals(0, stdin.exit(), stdin.err());
        assertTrue(stdin.out().contains("application/browser/firefox"), stdin.out());
        List<String> args = trusted("portal", "templates");
        Run words = h.run(args);
        assertEquals(0, words.exit(), words.err());
        assertTrue(words.out().contains("controller/user"), words.out());
    }

    @Test
    void unreachableAgentExitsFour() throws Exception {
        Run r = h.run(
                "--agent",
                "host=unix:" + tmp.resolve("nobody.sock"),
                "--passphrase-file",
                h.passphraseFile.toString(),
                "-c",
                "agent ping");
        assertEquals(ExitCodes.CONNECTION, r.exit(), r.err());
        assertTrue(r.err().contains("cannot reach the host agent"), r.err());
        Run none = h.run("--passphrase-file", h.passphraseFile.toString(), "-c", "router list");
        assertEquals(ExitCodes.USAGE, none.exit(), none.err());
    }

    @Test
    void anUnauthorisedIdentityIsToldHowToFixIt() throws Exception {
        ShellHarness other = new ShellHarness(tmp.resolve("other"));
        other.initIdentity();
        Run r = other.run(
                "--agent",
                "host=" + h.agentUri,
                "--passphrase-file",
                other.passphraseFile.toString(),
                "-c",
                "agent ping");
        assertEquals(ExitCodes.REFUSED, r.exit(), r.err());
        assertTrue(r.err().contains("authorize"), r.err());
    }
}
