package org.multiverse.scramble.shell.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.shell.registry.BuildContext;
import org.multiverse.scramble.shell.registry.CommandRegistry;

class LineParserTest {

    private final LineParser parser = new LineParser(CommandRegistry.standard());
    private static final BuildContext CONTEXT = new BuildContext() {
        @Override
        public Instant now() {
            return Instant.parse("2026-01-01T00:00:00Z");
        }

        @Override
        public byte[] signRevocation(long issuedBeforeMillis) {
            return new byte[] {1, 2, 3};
        }
    };

    private Command build(String line) throws Exception {
        ParsedLine p = parser.parse(line);
        return p.spec().build(p.args(), CONTEXT);
    }

    @Test
    void buildsTheProtobufCommandWithArguments() throws Exception {
        assertEquals("web", build("portal start web").getPortalStart().getName());
        Command stop = build("portal stop web --timeout 30");
        assertEquals(30, stop.getPortalStop().getTimeoutSeconds());
        assertEquals(30, build("portal stop --timeout=30 web").getPortalStop().getTimeoutSeconds());
        Command define = build("portal define w --template application/browser/firefox --set cpus=2 --set memory=1G");
        assertEquals(
                Map.of("cpus", "2", "memory", "1G"), define.getPortalDefine().getOverridesMap());
        assertEquals(50, build("audit tail -n 50").getAuditTail().getLines());
        Command link = build("share link web /srv/x --as docs --read-only");
        assertTrue(link.getShareLink().getReadOnly());
        assertEquals("docs", link.getShareLink().getAsName());
        assertEquals(-2.5, build("rtos write n1 speed -2.5").getRtosWrite().getValue());
        assertEquals(
                Instant.parse("2026-01-01T00:00:00Z").toEpochMilli(),
                build("agent revoke-sessions --before now").getRevokeSessions().getIssuedBeforeMillis());
    }

    @Test
    void longestVerbWinsAndAgentWideCommandsTakeOn() throws Exception {
        assertEquals(
                Command.KindCase.PORTAL_SNAPSHOT_LIST,
                parser.parse("portal snapshot list web").spec().kind());
        assertEquals(
                Command.KindCase.PORTAL_SNAPSHOT,
                parser.parse("portal snapshot web tag1").spec().kind());
        assertEquals(AgentRole.HOST, parser.parse("agent ping").target());
        assertEquals(AgentRole.ROUTER, parser.parse("agent ping --on router").target());
        assertEquals(AgentRole.RTOS, parser.parse("audit tail --on=rtos").target());
        assertEquals(AgentRole.ROUTER, parser.parse("router vpn use se-1").target());
    }

    @Test
    void quotesAndExpansionStayOneWord() throws Exception {
        assertEquals(
                "a b",
                build("agent ping --payload 'a b'").getAgentPing().getPayload().toStringUtf8());
        assertEquals(
                "say \"hi\"",
                build("agent ping --payload \"say \\\"hi\\\"\"")
                        .getAgentPing()
                        .getPayload()
                        .toStringUtf8());
        ParsedLine p = parser.parse("portal start ${P}", name -> name.equals("P") ? "web" : null);
        assertEquals("web", p.args().text("NAME"));
        // A value with spaces or quotes is not re-split: it is one (invalid) name, not extra arguments.
        ParseException e =
                assertThrows(ParseException.class, () -> parser.parse("portal start ${P}", name -> "web --timeout 5"));
        assertTrue(e.getMessage().contains("is not a name"), e.getMessage());
        assertEquals("${X}", parser.parse("agent ping --payload '${X}'").args().text("--payload"));
        ParseException unset =
                assertThrows(ParseException.class, () -> parser.parse("portal start ${NOPE}", name -> null));
        assertEquals("${NOPE} is not set", unset.getMessage());
        assertEquals(13, unset.column());
    }

    @Test
    void specificErrors() {
        assertError("portl start web", "unknown command 'portl'", 0);
        assertError("portal strat web", "'portal' has no 'strat'", 7);
        assertError("portal", "incomplete command 'portal'", 6);
        assertError("portal start", "missing NAME", 12);
        assertError("portal start web extra", "unexpected argument 'extra'", 17);
        assertError("portal start 'x;rm'", "is not a name", 13);
        assertError("portal stop web --timeout", "--timeout needs a value", 25);
        assertError("portal stop web --timeout -1", "not a whole number", 16);
        assertError("portal stop web --timeout 99999999999", "not a whole number", 16);
        assertError("portal stop web --timeout 5 --timeout 6", "--timeout given twice", 28);
        assertError("portal start web --force", "has no option --force", 17);
        assertError("agent ping --on mars", "--on takes host, router or rtos", 11);
        assertError("portal list --on router", "has no option --on", 12);
        assertError("share link web relative/path", "not an absolute path", 15);
        assertError("share link web /x --read-only=yes", "takes no value", 18);
        assertError("rtos write n c NaN", "not a finite decimal", 15);
        assertError("rtos write n c 1e999", "not a finite decimal", 15);
        assertError("portal define w --template ../etc", "not a template path", 16);
        assertError("portal define w --set =v --template a/b", "not KEY=VALUE", 16);
        assertError("agent revoke-sessions --before yesterday", "not a time", 22);
        assertError("agent ping --payload 'open", "unterminated ' quote", 21);
        assertError("portal start web\\", "escapes nothing", 16);
        assertError("", "empty command", 0);
    }

    @Test
    void hostileSizes() {
        assertError("agent ping --payload " + "x".repeat(Tokenizer.MAX_LINE), "at most", Tokenizer.MAX_LINE);
        assertError("portal list" + " a".repeat(Tokenizer.MAX_TOKENS), "more than 256 words", -2);
        assertError("agent ping --payload " + "y".repeat(2000), "at most 1024", 11);
        String sets = "portal define w --template a/b" + " --set k=v".repeat(65);
        assertError(sets, "more than 64 times", -2);
        assertError("portal start \u001b[2Jweb", "'?[2Jweb' is not a name", 13);
    }

    @Test
    void definitionFileIsReadAndBounded(@TempDir Path tmp) throws Exception {
        Path def = tmp.resolve("web.toml");
        Files.writeString(def, "name = \"web\"\n");
        assertEquals(
                "name = \"web\"\n",
                build("portal define web --definition " + def).getPortalDefine().getDefinitionToml());
        Path big = tmp.resolve("big.toml");
        Files.write(big, new byte[20_000]);
        assertError("portal define web --definition " + big, "larger than 16384 bytes", 18);
        assertError("portal define web --definition " + tmp.resolve("absent"), "cannot read", 18);
        ParsedLine both = parser.parse("portal define web --definition " + def + " --template a/b");
        var e = assertThrows(
                org.multiverse.scramble.shell.ShellFailure.class,
                () -> both.spec().build(both.args(), CONTEXT));
        assertTrue(e.getMessage().contains("exactly one of --template or --definition"));
    }

    @Test
    void commentsAndCommandSplitting() throws Exception {
        assertEquals(
                List.of("portal", "list"),
                Tokenizer.tokenize("portal list # all of them").stream()
                        .map(Token::text)
                        .toList());
        assertEquals(
                List.of("agent ping --payload 'a;b'", " portal list "),
                Tokenizer.splitCommands("agent ping --payload 'a;b'; portal list # x; y"));
        assertEquals(
                List.of("a#b"),
                Tokenizer.tokenize("a#b").stream().map(Token::text).toList());
    }

    private void assertError(String line, String expected, int column) {
        ParseException e = assertThrows(ParseException.class, () -> parser.parse(line), line);
        assertTrue(e.getMessage().contains(expected), "for '" + line + "': " + e.getMessage());
        if (column >= 0) {
            assertEquals(column, e.column(), e.getMessage());
        }
    }
}
