package org.multiverse.scramble.shell.dashboard;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * The dashboard's parts wired on a Lanterna virtual terminal, driven synchronously: results and
 * events are applied in the caller's thread (the UI executor runs tasks at once), keys go to the
 * controller, {@link #draw} renders as the loop does, and the text grid is read back.
 */
final class Rig implements AutoCloseable {

    static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(Fixtures.NOW), ZoneOffset.UTC);

    final DefaultVirtualTerminal terminal;
    final TerminalScreen screen;
    final DashboardModel model = new DashboardModel("ab12cd34 DEMO");
    final FakeActions actions;
    final Refresher refresher;
    final DashboardController controller;
    final DashboardRenderer renderer;
    /** The session's X25519 key: what the RTOS nodes seal samples to. */
    final X25519PrivateKeyParameters sessionKey = new X25519PrivateKeyParameters(new java.security.SecureRandom());

    final SampleFeed feed = new SampleFeed(model, () -> sessionKey);

    Rig(int columns, int rows, FakeActions actions, boolean colour) throws IOException {
        this.terminal = new DefaultVirtualTerminal(new TerminalSize(columns, rows));
        this.screen = new TerminalScreen(terminal);
        this.actions = actions;
        // Each look at the clock is 2 ms later than the last: every round trip measures 2 ms.
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        this.refresher = new Refresher(actions, model, Runnable::run, () -> nanos.addAndGet(2_000_000), feed);
        this.controller = new DashboardController(model, actions, refresher, Runnable::run, feed);
        this.renderer = new DashboardRenderer(colour, CLOCK);
        screen.startScreen();
        refresher.listen();
    }

    Rig start() throws IOException {
        refresher.refreshAll();
        draw();
        return this;
    }

    void draw() throws IOException {
        TerminalSize resized = screen.doResizeIfNecessary();
        refresher.updateLinks();
        screen.clear();
        renderer.draw(model, screen.newTextGraphics(), resized != null ? resized : screen.getTerminalSize());
        screen.refresh();
    }

    /** Presses keys (characters, or Lanterna key names such as {@code <Tab>}) and redraws. */
    boolean press(String... keys) throws IOException {
        boolean running = true;
        for (String k : keys) {
            running &= controller.handle(
                    k.length() == 1 ? new KeyStroke(k.charAt(0), false, false) : KeyStroke.fromString(k));
        }
        draw();
        return running;
    }

    boolean press(KeyType type) throws IOException {
        boolean running = controller.handle(new KeyStroke(type));
        draw();
        return running;
    }

    String row(int y) {
        return rowOf(terminal, y);
    }

    static String rowOf(DefaultVirtualTerminal terminal, int y) {
        StringBuilder s = new StringBuilder();
        for (int x = 0; x < terminal.getTerminalSize().getColumns(); x++) {
            s.append(terminal.getBufferCharacter(x, y).getCharacterString());
        }
        return s.toString();
    }

    /** The whole grid, one line per row, trailing spaces kept. */
    String text() {
        return textOf(terminal);
    }

    static String textOf(DefaultVirtualTerminal terminal) {
        StringBuilder s = new StringBuilder();
        for (int y = 0; y < terminal.getTerminalSize().getRows(); y++) {
            s.append(rowOf(terminal, y)).append('\n');
        }
        return s.toString();
    }

    /** The row holding {@code text}, or -1. */
    int rowWith(String text) {
        for (int y = 0; y < terminal.getTerminalSize().getRows(); y++) {
            if (row(y).contains(text)) {
                return y;
            }
        }
        return -1;
    }

    /** The first row that begins with {@code prefix}, or -1. */
    int rowStarting(String prefix) {
        for (int y = 0; y < terminal.getTerminalSize().getRows(); y++) {
            if (row(y).startsWith(prefix)) {
                return y;
            }
        }
        return -1;
    }

    TextCharacter at(int x, int y) {
        return terminal.getBufferCharacter(x, y);
    }

    @Override
    public void close() throws IOException {
        feed.close();
        screen.stopScreen();
    }
}
