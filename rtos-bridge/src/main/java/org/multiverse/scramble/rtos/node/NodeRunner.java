package org.multiverse.scramble.rtos.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.multiverse.scramble.rtos.serial.SerialLine;
import org.multiverse.scramble.rtos.serial.TtyLine;
import org.multiverse.scramble.rtos.wire.FrameDecoder;

/**
 * Connects a {@link SimulatedNode} to a tty: reads frames into it, writes its frames out,
 * and when the device disappears (the pty pair is killed) waits for it to come back and
 * reopens it, as a node's UART stays wired while the cable is pulled. The node keeps
 * running meanwhile: its watchdog sees the heartbeats stop.
 */
public final class NodeRunner implements Runnable {

    /** How often to look for a vanished device: fast enough for tests, idle for a CPU. */
    private static final long REOPEN_POLL_MILLIS = 20;

    private final Path device;
    private final int baud;
    private final FrameDecoder decoder = new FrameDecoder();
    private volatile SerialLine line;
    private volatile boolean stopped;
    private SimulatedNode node;

    public NodeRunner(Path device, int baud) {
        this.device = device;
        this.baud = baud;
    }

    /** The outbox to give the node: writes to the line, drops while it is down. */
    public void send(byte[] frame) {
        SerialLine l = line;
        if (l == null) {
            return;
        }
        try {
            l.write(frame);
        } catch (IOException e) {
            // the reader notices the line is gone and reopens it; this frame is lost, as on a UART
        }
    }

    public void attach(SimulatedNode node) {
        this.node = node;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[512];
        while (!stopped) {
            if (!Files.exists(device)) {
                pause();
                continue;
            }
            try (SerialLine l = TtyLine.open(device, baud)) {
                decoder.reset();
                line = l;
                while (!stopped) {
                    int n = l.read(buffer);
                    if (n > 0) {
                        decoder.feed(buffer, 0, n, node::onFrame);
                    } else if (l.gone()) {
                        break;
                    }
                }
            } catch (IOException e) {
                // device vanished or refused: try again when it is back
            } finally {
                line = null;
            }
            pause();
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(REOPEN_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void stop() {
        stopped = true;
    }
}
