package org.multiverse.scramble.protocol.agent;

import java.io.IOException;
import java.util.List;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameTooLargeException;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.reply.ReplyParts;
import org.multiverse.scramble.protocol.reply.ReplyTooLargeException;
import org.multiverse.scramble.protocol.transport.FrameChannel;

/**
 * Sends what the agent answers on a link: a REPLY larger than a frame as REPLY_PART frames
 * (SPEC.md §8.1), and a REPLY (whole or in parts) waiting for a link that does not drain fast
 * enough instead of failing at its first full buffer. Runs on the worker thread that answers, so the wait slows that answer only.
 */
final class ReplySender {

    /**
     * How long a link may take no frame at all before the reply is given up: a peer that reads
     * nothing for 10 s is gone or hostile, and the worker must not wait for it forever.
     */
    static final long STALL_LIMIT_MILLIS = 10_000;

    /** First wait when the link's send buffer is full; doubles up to {@link #MAX_WAIT_MILLIS}. */
    static final long FIRST_WAIT_MILLIS = 2;

    /** Longest single wait: short next to the stall limit, so a draining link is used soon. */
    static final long MAX_WAIT_MILLIS = 100;

    private ReplySender() {}

    /**
     * Sends {@code frame}, in parts when it is a REPLY larger than a frame.
     *
     * @throws IOException when the link is closed, stalls for {@link #STALL_LIMIT_MILLIS}, refuses
     *     the frame, or the reply is too large even for parts; the message says which
     */
    static void send(FrameChannel ch, Frame frame) throws IOException {
        if (frame.type() != FrameType.REPLY) {
            // A Rejected answers unattributed input: one try, a worker never waits for its sender.
            try {
                ch.send(frame);
            } catch (FrameTooLargeException e) {
                throw new IOException(e.getMessage(), e);
            }
            return;
        }
        if (!ReplyParts.needsParts(frame.payload().length)) {
            sendOne(ch, frame);
            return;
        }
        List<Frame> parts;
        try {
            parts = ReplyParts.frames(frame.payload());
        } catch (ReplyTooLargeException e) {
            throw new IOException(e.getMessage(), e);
        }
        for (Frame part : parts) {
            sendOne(ch, part);
        }
    }

    /** One frame, retried while the link is open but full, until it stalls too long. */
    private static void sendOne(FrameChannel ch, Frame frame) throws IOException {
        long deadline = System.nanoTime() + STALL_LIMIT_MILLIS * 1_000_000;
        long wait = FIRST_WAIT_MILLIS;
        while (true) {
            if (!ch.isOpen()) {
                throw new IOException("link to " + ch.peer() + " is closed");
            }
            try {
                ch.send(frame);
                return;
            } catch (FrameTooLargeException e) {
                throw new IOException(e.getMessage(), e);
            } catch (IOException e) {
                if (!ch.isOpen() || System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the link to " + ch.peer() + " drained");
            }
            wait = Math.min(wait * 2, MAX_WAIT_MILLIS);
        }
    }
}
