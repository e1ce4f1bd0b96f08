package org.multiverse.scramble.shell.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.client.LinkState;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.shell.registry.AgentRole;

/** The real loop (UI thread, key reader, poll timer) on a virtual terminal. */
class DashboardLoopTest {

    /** Generous for a loaded machine; each wait ends as soon as the screen shows what it waits for. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private final ExecutorService runner = Executors.newSingleThreadExecutor();
    private final BlockingQueue<KeyStroke> keys = new LinkedBlockingQueue<>();
    private final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(80, 24));
    private final X25519PrivateKeyParameters sessionKey =
            new X25519PrivateKeyParameters(new java.security.SecureRandom());

    @AfterEach
    void stop() {
        keys.add(new KeyStroke(KeyType.EOF));
        runner.shutdownNow();
    }

    private Future<Integer> start(FakeActions actions, Duration poll) throws IOException {
        TerminalScreen screen = new TerminalScreen(terminal);
        Dashboard d = new Dashboard(
                new DashboardModel("ab12cd34"), actions, () -> sessionKey, screen, keys::take, false, Rig.CLOCK, poll);
        return runner.submit((java.util.concurrent.Callable<Integer>) d::run);
    }

    private String waitFor(Predicate<String> shown, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String text;
        do {
            text = Rig.textOf(terminal);
            if (shown.test(text)) {
                return text;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not shown: " + what + "\n" + text);
    }

    @Test
    void qLeavesAndTheTerminalIsRestored() throws Exception {
        Future<Integer> run = start(Fixtures.multiverse(), Dashboard.POLL_INTERVAL);
        waitFor(t -> t.contains(">mail"), "the portals");
        keys.add(new KeyStroke('q', false, false));
        assertEquals(0, run.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        // Out of the private (alternate) screen: the normal buffer is back, untouched.
        assertEquals("", Rig.textOf(terminal).strip());
        assertTrue(terminal.isCursorVisible());
    }

    @Test
    void ctrlCLeavesToo() throws Exception {
        Future<Integer> run = start(Fixtures.multiverse(), Dashboard.POLL_INTERVAL);
        waitFor(t -> t.contains(">mail"), "the portals");
        keys.add(new KeyStroke('c', true, false));
        assertEquals(0, run.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("", Rig.textOf(terminal).strip());
    }

    @Test
    void aResizeRedrawsAtTheNewSize() throws Exception {
        Future<Integer> run = start(Fixtures.multiverse(), Dashboard.POLL_INTERVAL);
        waitFor(t -> t.contains("── Audit tail ──"), "the stacked layout");
        terminal.setTerminalSize(new TerminalSize(40, 10));
        // The virtual terminal tells its resize listeners, which wake the UI thread.
        waitFor(
                t -> t.startsWith(" Multiverse dashboard") && t.split("\n")[1].startsWith(" Portals  Routers"),
                "the one-section layout");
        keys.add(new KeyStroke('q', false, false));
        assertEquals(0, run.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void aLostAgentIsShownAndTheDashboardCarriesOn() throws Exception {
        FakeActions f = Fixtures.multiverse();
        Future<Integer> run = start(f, Duration.ofMillis(100));
        waitFor(t -> t.contains(">mail"), "the portals");
        f.links.put(AgentRole.HOST, new DashboardActions.LinkView(LinkState.DOWN, "sim:host", OptionalLong.empty()));
        f.fail(Command.KindCase.PORTAL_LIST, new IOException("link closed"));
        f.fail(Command.KindCase.AGENT_STATUS, new IOException("link closed"));
        String text = waitFor(
                t -> t.contains("host DOWN")
                        && t.contains(" host   DOWN       rtt")
                        && t.contains("error: agent status: link to"),
                "the lost link");
        // What was known stays on screen.
        assertTrue(text.contains(">mail"), text);
        keys.add(new KeyStroke('q', false, false));
        assertEquals(0, run.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("", Rig.textOf(terminal).strip());
    }

    @Test
    void eventsRedrawWithoutWaitingForThePoll() throws Exception {
        FakeActions f = Fixtures.multiverse();
        // A poll of an hour: only the event can make the change show.
        Future<Integer> run = start(f, Duration.ofHours(1));
        waitFor(t -> t.contains(">mail"), "the portals");
        f.answer(Command.KindCase.PORTAL_LIST, c -> new CompletableFuture<>());
        f.event(EventBody.newBuilder()
                .setKind(org.multiverse.scramble.protocol.v1.EventKind.PORTAL_STATE)
                .setSubject("mail")
                .putAttributes("event", "started")
                .build());
        waitFor(t -> t.lines().anyMatch(l -> l.startsWith(">mail") && l.contains("running")), "mail running");
        keys.add(new KeyStroke(KeyType.EOF));
        assertEquals(0, run.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void aStreamStartedWithTOpensOnTheLoopAndDrawsLive() throws Exception {
        FakeActions f = Fixtures.multiverse();
        SealingNode node = new SealingNode("arm0", "temp", 11, SealingNode.publicOf(sessionKey));
        CompletableFuture<org.multiverse.scramble.protocol.session.CommandOutcome> answer = new CompletableFuture<>();
        f.answer(Command.KindCase.RTOS_STREAM, c -> answer);
        Future<Integer> run = start(f, Duration.ofHours(1));
        waitFor(t -> t.contains(" arm0/temp  no samples"), "the node and its channel");
        keys.add(new KeyStroke(KeyType.Tab));
        keys.add(new KeyStroke(KeyType.Tab));
        keys.add(new KeyStroke(KeyType.Tab));
        keys.add(new KeyStroke('t', false, false));
        keys.add(new KeyStroke('y', false, false));
        waitFor(t -> t.contains("stream arm0/temp: sent"), "the stream sent");
        // From a network thread, as the agent link delivers them.
        Thread network = new Thread(() -> {
            f.event(node.start());
            f.event(node.batch(node.seal(0, 5f, 6f, 7f)));
        });
        network.start();
        network.join();
        waitFor(t -> t.contains(" arm0/temp ▁▅█ 7.00  3 shown  0 lost"), "the first samples");
        f.event(node.batch(List.of(node.seal(3, 4f, true))));
        waitFor(t -> t.contains(" arm0/temp ▃▆█▁ 4.00  4 shown  0 lost  ended"), "the last sample");
        keys.add(new KeyStroke(KeyType.EOF));
        assertEquals(0, run.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }
}
