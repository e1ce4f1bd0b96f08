package org.multiverse.scramble.shell.interactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.v1.PortalInfo;
import org.multiverse.scramble.protocol.v1.PortalListResult;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RtosChannelInfo;
import org.multiverse.scramble.protocol.v1.RtosInfoResult;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.shell.registry.CommandRegistry;

class CompletionAndHighlightTest {

    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000);
    private final LiveNames live = new LiveNames(
            (role, cmd) -> {
                fetches.incrementAndGet();
                return switch (cmd.getKindCase()) {
                    case PORTAL_LIST ->
                        Optional.of(Result.newBuilder()
                                .setPortalList(PortalListResult.newBuilder()
                                        .addPortals(PortalInfo.newBuilder().setName("web"))
                                        .addPortals(PortalInfo.newBuilder().setName("work"))
                                        .addPortals(PortalInfo.newBuilder().setName("evil\u001b]0;x\u0007"))
                                        .addPortals(PortalInfo.newBuilder().setName("two words")))
                                .build());
                    case RTOS_INFO ->
                        Optional.of(Result.newBuilder()
                                .setRtosInfo(RtosInfoResult.newBuilder()
                                        .addChannels(RtosChannelInfo.newBuilder()
                                                .setName(cmd.getRtosInfo().getNode() + "-speed")))
                                .build());
                    default -> Optional.empty();
                };
            },
            now::get);
    private final ShellCompleter completer = new ShellCompleter(CommandRegistry.standard(), live);

    @Test
    void verbsWordByWord() {
        assertEquals(List.of("portal"), completer.candidates(List.of(), "por"));
        assertTrue(completer.candidates(List.of(), "").containsAll(List.of("agent", "help", "exit", "rtos")));
        assertEquals(List.of("show", "snapshot", "start", "stop"), completer.candidates(List.of("portal"), "s"));
        assertEquals(List.of("use"), completer.candidates(List.of("router", "vpn"), "u"));
        assertEquals(List.of("portal"), completer.candidates(List.of("help"), "po"));
    }

    @Test
    void liveNamesAreFetchedCachedAndCleaned() {
        assertEquals(
                List.of("web", "work"),
                completer.candidates(List.of("portal", "start"), ""),
                "names with escapes or spaces are not offered");
        assertEquals(List.of("work"), completer.candidates(List.of("portal", "start"), "wo"));
        assertEquals(1, fetches.get(), "cached");
        now.addAndGet(LiveNames.TTL_MILLIS);
        completer.candidates(List.of("share", "list"), "");
        assertEquals(2, fetches.get(), "fetched again after the TTL");
        assertEquals(List.of(), completer.candidates(List.of("portal", "start", "web"), ""), "one portal only");
        assertEquals(
                List.of("n1-speed"),
                completer.candidates(List.of("rtos", "read", "n1"), ""),
                "channels of the node typed");
    }

    @Test
    void optionsAndTheirValues() {
        assertEquals(List.of("--timeout"), completer.candidates(List.of("portal", "stop", "web"), "--t"));
        assertEquals(List.of("--on", "--payload"), completer.candidates(List.of("agent", "ping"), "--"));
        assertEquals(List.of("router", "rtos"), completer.candidates(List.of("agent", "ping", "--on"), "r"));
        assertEquals(
                List.of(),
                completer.candidates(List.of("portal", "stop", "--timeout"), ""),
                "a number is not completed");
    }

    @Test
    void tabOnARealLineReaderCompletesThroughTheTerminal() throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys);
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (Terminal t = new ExternalTerminal("test", "xterm-256color", in, screen, StandardCharsets.UTF_8)) {
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(t)
                    .completer(completer)
                    .highlighter(new ShellHighlighter(CommandRegistry.standard()))
                    .variable(LineReader.DISABLE_HISTORY, true)
                    .build();
            keys.write("por\tstart w\to\t\r".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            assertEquals("portal start work ", reader.readLine("> "));
        }
    }

    @Test
    void unknownVerbIsRedKnownVerbBold() {
        ShellHighlighter h = new ShellHighlighter(CommandRegistry.standard());
        AttributedStyle red = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
        assertEquals(red, h.highlight("portl start").styleAt(0));
        var good = h.highlight("portal start web --timeout 3");
        assertEquals(AttributedStyle.BOLD, good.styleAt(0));
        assertEquals(AttributedStyle.BOLD, good.styleAt(8));
        assertEquals(AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN), good.styleAt(17), "options cyan");
        assertEquals(red, h.highlight("portal strat").styleAt(8));
        assertEquals("portal list # x", h.highlight("portal list # x").toString());
    }

    @Test
    void liveNameKindsAskTheRightAgent() {
        List<AgentRole> asked = new ArrayList<>();
        LiveNames names = new LiveNames(
                (role, cmd) -> {
                    asked.add(role);
                    return Optional.empty();
                },
                System::currentTimeMillis);
        for (var k : org.multiverse.scramble.shell.registry.LiveName.values()) {
            names.names(k, "ctx");
        }
        assertEquals(
                List.of(
                        AgentRole.HOST,
                        AgentRole.HOST,
                        AgentRole.HOST,
                        AgentRole.ROUTER,
                        AgentRole.ROUTER,
                        AgentRole.RTOS,
                        AgentRole.RTOS),
                asked);
    }
}
