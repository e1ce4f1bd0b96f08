package org.multiverse.scramble.shell.dashboard;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal;
import com.googlecode.lanterna.terminal.ansi.UnixTerminal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.ShellSession;

/**
 * {@code scramble-shell dashboard}: the whole Multiverse on one screen (Lanterna), acting
 * through the shell's own signed commands.
 *
 * <p>One UI thread owns the {@link DashboardModel}: it waits on a queue of tasks (a key, a
 * result, an event, a resize, the slow poll) and redraws after each batch, so it sleeps while
 * nothing happens and never polls in a tight loop. Events ({@code agent subscribe}, sealed to
 * the session key) drive the screen; every {@link #POLL_INTERVAL} the links are looked at, and
 * agents are asked again only when their events cannot carry the changes (a link that came back,
 * or events refused): an idle dashboard asks nothing, so it writes nothing to the agents' audit. The terminal is restored on {@code q}, Ctrl-C, end of input, an
 * error, and (through a shutdown hook) on SIGTERM.
 */
public final class Dashboard {

    /**
     * How often the links are looked at; agents without live events (refused, or a link that came
     * back) are asked again at this pace, agents with live events are not asked at all.
     */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

    /** Where keys come from: blocks until the next one (EOF when there are no more). */
    interface KeySource {
        KeyStroke next() throws IOException, InterruptedException;
    }

    private final DashboardModel model;
    private final DashboardActions actions;
    private final Screen screen;
    private final KeySource keys;
    private final DashboardRenderer renderer;
    private final Duration pollInterval;
    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final Refresher refresher;
    private final DashboardController controller;
    private final SampleFeed feed;
    private final AtomicBoolean restored = new AtomicBoolean();
    private boolean running = true;

    /** @param sessionKey the session's X25519 private key, which opens the RTOS nodes' sealed samples */
    Dashboard(
            DashboardModel model,
            DashboardActions actions,
            Supplier<X25519PrivateKeyParameters> sessionKey,
            Screen screen,
            KeySource keys,
            boolean colour,
            Clock clock,
            Duration pollInterval) {
        this.model = model;
        this.actions = actions;
        this.screen = screen;
        this.keys = keys;
        this.renderer = new DashboardRenderer(colour, clock);
        this.pollInterval = pollInterval;
        this.feed = new SampleFeed(model, sessionKey);
        this.refresher = new Refresher(actions, model, tasks::add, System::nanoTime, feed);
        this.controller = new DashboardController(model, actions, refresher, tasks::add, feed);
    }

    /**
     * The entry point of {@code scramble-shell dashboard}: runs on the process's terminal with
     * the session's links until the person leaves; returns the exit code.
     *
     * @param session the unlocked session (or the demo's), which the caller closes afterwards
     * @param timeout how long an agent has to answer one command
     * @param colour  whether the terminal has colour and the person wants it ({@code NO_COLOR} unset)
     * @param err     where a failure to open the terminal is explained
     */
    public static int run(ShellSession session, Duration timeout, boolean colour, PrintStream err) {
        String who = session.root().shortForm() + (session.label().isEmpty() ? "" : " " + session.label());
        try (SessionActions actions = new SessionActions(session.connections(), timeout)) {
            // TRAP: Ctrl-C arrives as a key, so it leaves through the same door as q and the terminal is restored.
            UnixTerminal terminal = new UnixTerminal(
                    System.in, System.out, Charset.defaultCharset(), UnixLikeTerminal.CtrlCBehaviour.TRAP);
            TerminalScreen screen = new TerminalScreen(terminal);
            return new Dashboard(
                            new DashboardModel(who),
                            actions,
                            session.session()::x25519Private,
                            screen,
                            screen::readInput,
                            colour,
                            Clock.systemDefaultZone(),
                            POLL_INTERVAL)
                    .run();
        } catch (IOException e) {
            err.println("scramble-shell: dashboard: cannot use the terminal: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    /** Runs until the person leaves; the screen is stopped (terminal restored) on every way out. */
    int run() throws IOException {
        Thread hook = new Thread(this::restore, "dashboard-restore");
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dashboard-poll"));
        Thread reader = daemon(this::readKeys, "dashboard-keys");
        try {
            screen.startScreen();
            screen.setCursorPosition(null);
            Terminal terminal = screen instanceof TerminalScreen ts ? ts.getTerminal() : null;
            if (terminal != null) {
                // A resize only wakes the UI thread: it resizes the screen and redraws.
                terminal.addResizeListener((t, size) -> tasks.add(() -> {}));
            }
            refresher.listen();
            refresher.refreshAll();
            poll.scheduleWithFixedDelay(
                    () -> tasks.add(refresher::tick),
                    pollInterval.toMillis(),
                    pollInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
            reader.start();
            loop();
            return ExitCodes.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILED;
        } finally {
            poll.shutdownNow();
            // On the UI thread's side of the loop: no event task runs any more, so the stream key can go.
            feed.close();
            restore();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or ran: the terminal is restored either way.
            }
        }
    }

    private void loop() throws InterruptedException, IOException {
        List<Runnable> batch = new ArrayList<>();
        while (running) {
            draw();
            batch.add(tasks.take());
            tasks.drainTo(batch);
            for (Runnable task : batch) {
                task.run();
                if (!running) {
                    break;
                }
            }
            batch.clear();
        }
    }

    private void readKeys() {
        try {
            while (true) {
                KeyStroke k = keys.next();
                tasks.add(() -> running &= controller.handle(k));
                if (k == null || k.getKeyType() == KeyType.EOF) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The terminal went away: leave (and restore what can be restored).
            tasks.add(() -> running = false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tasks.add(() -> running = false);
        }
    }

    /** Redraws the whole screen at its current size. */
    void draw() throws IOException {
        TerminalSize resized = screen.doResizeIfNecessary();
        refresher.updateLinks();
        screen.clear();
        renderer.draw(model, screen.newTextGraphics(), resized != null ? resized : screen.getTerminalSize());
        screen.refresh(resized != null ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
    }

    /** Stops the screen once (the normal exit and the shutdown hook may both get here). */
    private void restore() {
        if (!restored.compareAndSet(false, true)) {
            return;
        }
        try {
            screen.stopScreen();
        } catch (IOException | RuntimeException e) {
            // Nothing more can be done for a terminal that is gone.
        }
        if (screen instanceof TerminalScreen ts) {
            try {
                // Leaving the alternate screen does not show a hidden cursor again on every terminal.
                ts.getTerminal().setCursorVisible(true);
                ts.getTerminal().flush();
                ts.getTerminal().close();
            } catch (IOException | RuntimeException e) {
                // As above.
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The model (tests look at it after driving the loop). */
    DashboardModel model() {
        return model;
    }
}
