package org.multiverse.scramble.host.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiverse.scramble.protocol.config.TomlEntry;
import org.multiverse.scramble.protocol.config.TomlSubset;

class DefinitionParserTest {

    private static final String MINIMAL = "name = \"star.router\"\ntype = \"service\"\ncpus = 1\nmemory_mib = 256\n";

    private static PortalDefinition parse(String text) throws DefinitionException {
        return DefinitionParser.parse("portal.toml", text);
    }

    private static DefinitionException refused(String text) {
        return assertThrows(DefinitionException.class, () -> parse(text));
    }

    @Test
    void everyFieldIsRead() throws Exception {
        PortalDefinition d = parse("""
                # a full definition
                name        = "firefox.browser.app"
                type        = "application"
                template    = "application/browser/firefox"
                description = "Firefox \\"nothing kept\\""
                cpus        = 2
                memory_mib  = 2_048
                image       = "browser/firefox.qcow2"
                kernel      = "linux/vmlinuz"
                initrd      = 'linux/initrd.img'
                cmdline     = "console=ttyS0 quiet"
                ephemeral   = false   # keep the disk
                network     = "star"
                mac         = "52:54:00:AA:bb:0c"
                channels    = ["org.multiverse.host.0", "org.multiverse.controller.0",]
                share       = false
                console_log = false
                """);
        assertEquals("firefox.browser.app", d.name());
        assertEquals(PortalType.APPLICATION, d.type());
        assertEquals("application/browser/firefox", d.template());
        assertEquals("Firefox \"nothing kept\"", d.description());
        assertEquals(2, d.cpus());
        assertEquals(2048, d.memoryMiB());
        assertEquals("browser/firefox.qcow2", d.image());
        assertEquals("linux/vmlinuz", d.kernel());
        assertEquals("linux/initrd.img", d.initrd());
        assertEquals("console=ttyS0 quiet", d.cmdline());
        assertFalse(d.ephemeral());
        assertEquals(Network.STAR, d.network());
        assertEquals("52:54:00:aa:bb:0c", d.mac());
        assertEquals(List.of("org.multiverse.host.0", "org.multiverse.controller.0"), d.channels());
        assertFalse(d.share());
        assertFalse(d.consoleLog());
    }

    @Test
    void defaultsAndWriterRoundTrip() throws Exception {
        PortalDefinition d = parse(MINIMAL);
        assertTrue(d.ephemeral());
        assertTrue(d.share());
        assertTrue(d.consoleLog());
        assertEquals(Network.NONE, d.network());
        assertNull(d.image());
        assertEquals(List.of(), d.channels());
        assertTrue(d.mac().startsWith("52:54:00:"));
        assertEquals(d.mac(), parse(MINIMAL).mac(), "the derived MAC is stable");
        assertEquals(d, parse(d.toToml()));
        PortalDefinition full = parse(MINIMAL + "description = \"q \\\" b \\\\ \\u00e9\"\nimage = \"a/b.raw\"\n"
                + "kernel = \"k\"\ncmdline = \"x=\\\"y\\\"\"\nchannels = [\"org.multiverse.host.0\"]\n");
        assertEquals(full, parse(full.toToml()));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "colour = \"red\"                 | 5 | unknown key 'colour'",
                "cpus = 0                         | 3 | 'cpus' must be between 1 and 64, got 0",
                "cpus = 65                        | 3 | between 1 and 64",
                "cpus = \"2\"                       | 3 | 'cpus' must be an integer",
                "memory_mib = 32                  | 4 | 'memory_mib' must be between 64",
                "type = \"vm\"                      | 2 | 'type' must be one of application, service, controller",
                "network = \"internet\"             | 5 | 'network' must be one of universe, galaxy, star, none",
                "ephemeral = \"yes\"                | 5 | 'ephemeral' must be true or false",
                "share = 1                        | 5 | 'share' must be true or false",
                "console_log = maybe              | 5 | is not a string, integer, boolean or array",
                "mac = \"52:54:00:12:34\"           | 5 | is not six hex pairs",
                "mac = \"01:00:5e:00:00:01\"        | 5 | multicast",
                "image = \"../etc/shadow\"          | 5 | may not contain '.' or '..' segments",
                "image = \"/etc/shadow\"            | 5 | must be relative to the image directory",
                "image = \"a,b=c.qcow2\"            | 5 | may use only letters, digits",
                "image = \"a b.qcow2\"              | 5 | may use only letters, digits",
                "image = \"a//b\"                   | 5 | may use only letters, digits",
                "initrd = \"i\"                     | 5 | initrd and cmdline need a kernel",
                "cmdline = \"quiet\"                | 5 | initrd and cmdline need a kernel",
                "channels = [\"host.0\"]            | 5 | is not a port name",
                "channels = [\"org.multiverse.a,b\"] | 5 | is not a port name",
                "channels = \"org.multiverse.a\"    | 5 | must be an array of strings",
                "channels = [\"org.multiverse.a\", \"org.multiverse.a\"] | 5 | listed twice",
                "channels = [1]                   | 5 | may hold only strings",
                "template = \"../x\"                | 5 | is not a template path",
                "description = \"a\\u0007b\"         | 5 | without control characters",
            })
    void badValuesAreRefusedWithTheirLine(String line, int lineNo, String reason) {
        // Put the bad line where a person would: replacing the key it names, or appended.
        String key = line.substring(0, line.indexOf('=')).strip();
        String text = MINIMAL.lines().anyMatch(l -> l.startsWith(key + " "))
                ? MINIMAL.lines().map(l -> l.startsWith(key + " ") ? line : l).reduce("", (a, b) -> a + b + "\n")
                : MINIMAL + line + "\n";
        DefinitionException e = refused(text);
        assertEquals(lineNo, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("portal.toml:" + lineNo + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    /** The reader's refusals arrive as DefinitionException with file:line; every syntax case runs in TomlSubsetTest. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "[portal]                         | tables ([...]) are not used",
                "cpus 2                           | expected '=' after key 'cpus'",
            })
    void syntaxErrorsCarryFileAndLine(String line, String reason) {
        DefinitionException e = refused("# comment\n" + line + "\n" + MINIMAL);
        assertEquals(2, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void duplicateKeysNameBothLines() {
        DefinitionException e = refused(MINIMAL + "cpus = 2\n");
        assertEquals("portal.toml:5: key 'cpus' is set twice (first on line 3)", e.getMessage());
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        assertTrue(refused("type = \"service\"\ncpus = 1\nmemory_mib = 64\n")
                .getMessage()
                .contains("'name' is required"));
        assertTrue(refused("name = \"a\"\ncpus = 1\nmemory_mib = 64\n")
                .getMessage()
                .contains("'type' is required"));
        assertTrue(refused("name = \"a\"\ntype = \"service\"\nmemory_mib = 64\n")
                .getMessage()
                .contains("'cpus' is required"));
        assertTrue(refused("name = \"a\"\ntype = \"service\"\ncpus = 1\n")
                .getMessage()
                .contains("'memory_mib' is required"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a,b", "a=b", "a b", "..", "a..b", "-a", "a-", "A", "a/b", "a\nb", ".a", "a.", "a_b", ""})
    void hostileNamesAreRefused(String name) {
        DefinitionException e = refused(
                "name = \"" + name.replace("\n", "\\n") + "\"\n" + MINIMAL.substring(MINIMAL.indexOf('\n') + 1));
        assertEquals(1, e.line(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "the message cannot be split into forged lines");
    }

    @Test
    void aNameOf300CharactersIsRefused() {
        String name = "a".repeat(300);
        DefinitionException e = refused("name = \"" + name + "\"\ntype = \"service\"\ncpus = 1\nmemory_mib = 64\n");
        assertTrue(e.getMessage().contains("longer than 63"), e.getMessage());
        assertTrue(e.getMessage().length() < 200, "the name is not echoed whole");
    }

    @Test
    void controlCharactersAndOversizeAreRefused() {
        assertTrue(
                refused(MINIMAL + "description = \"a\u0001b\"\n").getMessage().contains("control character U+0001"));
        assertTrue(
                refused("x".repeat(TomlSubset.MAX_TEXT_BYTES + 1)).getMessage().contains("larger than"));
        assertTrue(refused("# " + "x".repeat(TomlSubset.MAX_LINE_CHARS))
                .getMessage()
                .contains("longer than"));
        assertTrue(refused("\uFEFF" + MINIMAL).getMessage().contains("byte order mark"));
    }

    @Test
    void overridesAreTypedAndChecked() throws Exception {
        Map<String, TomlEntry> template =
                DefinitionParser.parseTemplate("t", "type = \"service\"\ncpus = 1\nmemory_mib = 256\n");
        PortalDefinition d = DefinitionParser.fromTemplate(
                "service/router/star",
                template,
                "star.router",
                Map.of("cpus", "2", "ephemeral", "false", "channels", "org.multiverse.host.0, org.multiverse.host.1"));
        assertEquals(2, d.cpus());
        assertFalse(d.ephemeral());
        assertEquals("service/router/star", d.template());
        assertEquals(List.of("org.multiverse.host.0", "org.multiverse.host.1"), d.channels());
        assertEquals(
                "overrides: 'cpus' must be between 1 and 64, got 99",
                assertThrows(
                                DefinitionException.class,
                                () -> DefinitionParser.fromTemplate("t", template, "a", Map.of("cpus", "99")))
                        .getMessage());
        assertTrue(assertThrows(
                        DefinitionException.class,
                        () -> DefinitionParser.fromTemplate("t", template, "a", Map.of("cpus", "two")))
                .getMessage()
                .contains("is not a number"));
        assertTrue(assertThrows(
                        DefinitionException.class,
                        () -> DefinitionParser.fromTemplate("t", template, "a", Map.of("colour", "red")))
                .getMessage()
                .contains("unknown field"));
        assertTrue(assertThrows(
                        DefinitionException.class,
                        () -> DefinitionParser.fromTemplate("t", template, "a", Map.of("name", "b")))
                .getMessage()
                .contains("cannot be overridden"));
        assertTrue(assertThrows(
                        DefinitionException.class,
                        () -> DefinitionParser.fromTemplate("t", template, "a", Map.of("share", "yes")))
                .getMessage()
                .contains("is not true or false"));
        assertThrows(DefinitionException.class, () -> DefinitionParser.parseTemplate("t", "name = \"a\"\n"));
    }

    private static final String CONTROLLER = "name = \"uc\"\ntype = \"controller\"\ncpus = 1\nmemory_mib = 256\n"
            + "channels = [\"org.multiverse.host.0\", \"org.multiverse.controller.0\", \"org.multiverse.test.0\"]\n";

    @Test
    void agentChannelsAndAutostartAreReadAndWrittenBack() throws Exception {
        PortalDefinition d = parse(CONTROLLER + "serve = [\"org.multiverse.host.0\"]\n"
                + "routes = [\"router=org.multiverse.controller.0\"]\nautostart = true\nautostart_order = 7\n");
        assertEquals(List.of("org.multiverse.host.0"), d.serve());
        assertEquals(Map.of("router", "org.multiverse.controller.0"), d.routes());
        assertTrue(d.autostart());
        assertEquals(7, d.autostartOrder());
        assertTrue(d.hasAgentChannels());
        assertEquals(d, parse(d.toToml()));
        PortalDefinition plain = parse(MINIMAL);
        assertFalse(plain.autostart());
        assertFalse(plain.hasAgentChannels());
        assertEquals(DefinitionParser.DEFAULT_AUTOSTART_ORDER, plain.autostartOrder());
        assertEquals(plain, parse(plain.toToml()));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "serve = [\"org.multiverse.other.0\"]|is not one of this portal's channels",
                "serve = [\"org.multiverse.host.0\", \"org.multiverse.host.0\"]|listed twice",
                "routes = [\"router\"]|is not ROUTE=CHANNEL",
                "routes = [\"Router=org.multiverse.controller.0\"]|is not ROUTE=CHANNEL",
                "routes = [\"router=org.multiverse.nowhere.0\"]|is not one of this portal's channels",
                "routes = [\"a=org.multiverse.controller.0\", \"b=org.multiverse.controller.0\"]|already used",
                "routes = [\"a=org.multiverse.controller.0\", \"a=org.multiverse.test.0\"]|listed twice",
                "autostart = \"yes\"|true or false",
                "autostart_order = 1000|between 0 and 999",
            })
    void badAgentChannelsAreRefused(String line, String reason) {
        DefinitionException e = refused(CONTROLLER + line + "\n");
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void aServeAndARouteMayNotShareAChannel() {
        DefinitionException e = refused(
                CONTROLLER + "serve = [\"org.multiverse.host.0\"]\n" + "routes = [\"router=org.multiverse.host.0\"]\n");
        assertTrue(e.getMessage().contains("already used by serve"), e.getMessage());
    }

    /** An agent channel lets the VM talk to the host agent: only the person's controllers get one. */
    @ParameterizedTest
    @ValueSource(strings = {"application", "service"})
    void onlyControllerPortalsMayCarryAgentChannels(String type) {
        String text = CONTROLLER.replace("\"controller\"", "\"" + type + "\"");
        assertTrue(refused(text + "serve = [\"org.multiverse.host.0\"]\n")
                .getMessage()
                .contains("only a controller portal"));
        assertTrue(refused(text + "routes = [\"router=org.multiverse.controller.0\"]\n")
                .getMessage()
                .contains("only a controller portal"));
    }
}
