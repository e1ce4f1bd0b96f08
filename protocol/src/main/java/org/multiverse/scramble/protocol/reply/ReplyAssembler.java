package org.multiverse.scramble.protocol.reply;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.v1.Reply;
import org.multiverse.scramble.protocol.v1.ReplyPart;

/**
 * The client's side of SPEC.md §8.1: puts the REPLY_PART frames of one link back together into
 * REPLY frames. Everything a part claims is checked against the fixed layout and the first part of
 * its reply before a byte is kept, and memory is bounded:
 *
 * <ul>
 *   <li>only parts of a request the caller is waiting for are kept (unsolicited ones cost nothing);
 *   <li>a reply is at most {@link ReplyParts#MAX_REPLY_BYTES} in {@link ReplyParts#MAX_PARTS} parts,
 *       and space is taken only as parts arrive, never from a claimed total;
 *   <li>all replies being put together on one link hold at most {@link #MAX_BUFFERED_BYTES};
 *   <li>a reply whose next part does not come within {@link #PART_GAP_TIMEOUT} fails.
 * </ul>
 *
 * A part that breaks a rule fails its request at once with a {@link ReplyAssemblyException} and its
 * buffered parts are dropped. Parts may come in any order; a repeated index is an error. Thread-safe.
 */
public final class ReplyAssembler {

    /** Request ids are 16 bytes (wire.proto). */
    static final int REQUEST_ID_BYTES = 16;

    /**
     * Bytes held for all partial replies of one link: two of the largest replies, so two large
     * answers can arrive interleaved while a hostile or broken peer cannot make the client hold more.
     */
    public static final long MAX_BUFFERED_BYTES = 2L * ReplyParts.MAX_REPLY_BYTES;

    /**
     * How long a partial reply waits for its next part. An agent sends the parts of one reply back
     * to back, waiting at most 10 s for a slow link to drain; 30 s without any part means it stopped.
     */
    public static final Duration PART_GAP_TIMEOUT = Duration.ofSeconds(30);

    /** What one part did. */
    public sealed interface Outcome {}

    /** The part completed its reply: {@code reply} is the REPLY frame to handle as if it came whole. */
    public record Complete(Frame reply) implements Outcome {}

    /** The part was kept; more are needed. */
    public record Partial() implements Outcome {}

    /** The part is for no request being waited for, or unreadable: dropped, nothing kept. */
    public record Ignored() implements Outcome {}

    /** The request {@code requestIdHex} failed; its parts are dropped. */
    public record Failed(String requestIdHex, ReplyAssemblyException error) implements Outcome {}

    private static final class InProgress {
        final int count;
        final int totalBytes;
        final byte[][] parts;
        int received;
        long lastNanos;

        InProgress(int count, int totalBytes, long now) {
            this.count = count;
            this.totalBytes = totalBytes;
            this.parts = new byte[count][];
            this.lastNanos = now;
        }
    }

    private final LongSupplier nanoClock;
    private final Map<String, InProgress> partial = new HashMap<>();
    private long buffered;

    /** @param nanoClock monotonic time in ns ({@code System::nanoTime}) */
    public ReplyAssembler(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Takes one REPLY_PART payload.
     *
     * @param awaited whether a request (its id in lower-case hex) is still waiting for its reply
     */
    public synchronized Outcome accept(byte[] payload, Predicate<String> awaited) {
        ReplyPart part;
        try {
            part = ReplyPart.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            return new Ignored(); // no request id to blame it on
        }
        if (part.getRequestId().size() != REQUEST_ID_BYTES) {
            return new Ignored();
        }
        String id = HexFormat.of().formatHex(part.getRequestId().toByteArray());
        if (!awaited.test(id)) {
            drop(id);
            return new Ignored();
        }
        String problem = layoutProblem(part);
        InProgress p = partial.get(id);
        if (problem == null && p != null && (p.count != part.getCount() || p.totalBytes != part.getTotalBytes())) {
            problem = "part " + part.getIndex() + " says " + part.getCount() + " parts of " + part.getTotalBytes()
                    + " bytes, earlier parts said " + p.count + " of " + p.totalBytes;
        }
        if (problem == null && p != null && p.parts[part.getIndex()] != null) {
            problem = "part " + part.getIndex() + " of " + p.count + " arrived twice";
        }
        if (problem == null && buffered + part.getData().size() > MAX_BUFFERED_BYTES) {
            problem = "more than " + MAX_BUFFERED_BYTES + " bytes of partial replies on this link";
        }
        if (problem != null) {
            return fail(id, problem);
        }
        long now = nanoClock.getAsLong();
        if (p == null) {
            p = new InProgress(part.getCount(), part.getTotalBytes(), now);
            partial.put(id, p);
        }
        p.parts[part.getIndex()] = part.getData().toByteArray();
        p.received++;
        p.lastNanos = now;
        buffered += part.getData().size();
        if (p.received < p.count) {
            return new Partial();
        }
        drop(id);
        byte[] whole = new byte[p.totalBytes];
        int at = 0;
        for (byte[] piece : p.parts) {
            System.arraycopy(piece, 0, whole, at, piece.length);
            at += piece.length;
        }
        try {
            if (!Reply.parseFrom(whole).getRequestId().equals(part.getRequestId())) {
                return fail(id, "the reassembled reply is for another request");
            }
        } catch (InvalidProtocolBufferException e) {
            return fail(id, "the reassembled parts are not a Reply");
        }
        return new Complete(new Frame(FrameType.REPLY, whole));
    }

    /** Fails every partial reply whose last part is older than {@link #PART_GAP_TIMEOUT}. */
    public synchronized List<Failed> expire() {
        long now = nanoClock.getAsLong();
        List<Failed> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, InProgress>> it = partial.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, InProgress> e = it.next();
            InProgress p = e.getValue();
            if (now - p.lastNanos > PART_GAP_TIMEOUT.toNanos()) {
                it.remove();
                buffered -= held(p);
                out.add(new Failed(
                        e.getKey(),
                        new ReplyAssemblyException("reply " + prefix(e.getKey()) + "... incomplete: " + p.received
                                + " of " + p.count + " parts, none for " + PART_GAP_TIMEOUT.toSeconds() + " s")));
            }
        }
        return out;
    }

    /** Drops the parts of one request (answered, timed out or cancelled). */
    public synchronized void forget(String requestIdHex) {
        drop(requestIdHex);
    }

    /** Drops everything (the link was lost: parts never continue on another link). */
    public synchronized void reset() {
        partial.clear();
        buffered = 0;
    }

    /** Bytes held now, for tests and status. */
    public synchronized long bufferedBytes() {
        return buffered;
    }

    /** Partial replies held now. */
    public synchronized int partialReplies() {
        return partial.size();
    }

    /** What is wrong with a part on its own, or null: the fixed layout of SPEC.md §8.1. */
    private static String layoutProblem(ReplyPart part) {
        long total = Integer.toUnsignedLong(part.getTotalBytes());
        long count = Integer.toUnsignedLong(part.getCount());
        long index = Integer.toUnsignedLong(part.getIndex());
        if (total <= FrameEncoder.DEFAULT_MAX_PAYLOAD || total > ReplyParts.MAX_REPLY_BYTES) {
            return "a reply of " + total + " bytes is not sent in parts (more than " + FrameEncoder.DEFAULT_MAX_PAYLOAD
                    + ", at most " + ReplyParts.MAX_REPLY_BYTES + ")";
        }
        if (count != ReplyParts.partsFor((int) total)) {
            return "a reply of " + total + " bytes has " + ReplyParts.partsFor((int) total) + " parts, not " + count;
        }
        if (index >= count) {
            return "part " + index + " of " + count + " does not exist";
        }
        int expected = ReplyParts.partBytes((int) index, (int) total);
        if (part.getData().size() != expected) {
            return "part " + index + " carries " + part.getData().size() + " bytes, not " + expected;
        }
        return null;
    }

    private Failed fail(String id, String problem) {
        drop(id);
        return new Failed(id, new ReplyAssemblyException("reply " + prefix(id) + "... refused: " + problem));
    }

    private void drop(String id) {
        InProgress p = partial.remove(id);
        if (p != null) {
            buffered -= held(p);
        }
    }

    private static long held(InProgress p) {
        long n = 0;
        for (byte[] piece : p.parts) {
            n += piece == null ? 0 : piece.length;
        }
        return n;
    }

    private static String prefix(String hex) {
        return hex.substring(0, Math.min(8, hex.length()));
    }
}
