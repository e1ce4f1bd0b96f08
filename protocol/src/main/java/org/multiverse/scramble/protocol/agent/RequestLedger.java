package org.multiverse.scramble.protocol.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * The durable memory of state-changing requests, so that a crash never makes the agent run one
 * twice nor leave its sender guessing. Before a state-changing handler runs, an ACCEPTED record
 * (session key, request id, digest of the envelope, who and what for the audit) is fsync'd here;
 * when it ends, a DONE record with the very sealed reply is fsync'd before the reply leaves.
 *
 * <p>After a restart, {@link #open} finds the accepted requests that never got an outcome: the
 * agent stopped while they ran, so their effect is unknown. They are marked INTERRUPTED (and the
 * agent audits that). A resend of such a request — the same envelope bytes — is then answered
 * from here: the stored reply if it finished, the INTERRUPTED error if not; never run again.
 *
 * <p><b>File.</b> {@code requests.ledger} in the agent's state directory: a header, then records
 * {@code u32 length, u32 crc32c(body), body}. A record cut off at the end (the agent was killed
 * while writing it) is dropped and the file truncated there: it was never fsync'd, so no handler
 * ran for it. Any other damage (a bad checksum before the end, an unknown record type, a wrong
 * header) stops the agent with {@link LedgerCorruptException}: answering from a damaged ledger
 * could hand out a wrong outcome, and the person must decide to move the file aside.
 *
 * <p><b>Bounded.</b> At most {@value #CAPACITY} requests are remembered, oldest forgotten first;
 * the file is rewritten (to a temporary file, fsync'd, renamed) when it holds records of more
 * than twice that many. A resend of a forgotten request falls to the sequence window, which refuses
 * it as REPLAYED: still never run twice, only without its outcome.
 *
 * <p>Thread-safe. Appends are group-committed: one fsync covers every record written before it.
 */
final class RequestLedger implements AutoCloseable {

    /**
     * Requests remembered. A client resends a request only until its timeout (minutes at most),
     * and an agent runs a few state-changing commands a second at most, so this is hours of
     * cover while the file stays bounded (replies of state-changing commands are small).
     */
    static final int CAPACITY = 1024;
    /** One record's body at most: a sealed reply fits in one frame (64 KiB) plus the keys. */
    static final int MAX_RECORD = 70 * 1024;
    /** Stored replies kept at most, oldest forgotten first: bounds memory when replies are large. */
    static final long MAX_REPLY_BYTES = 8L << 20;
    /** The file is rewritten past this size even with few records, so reading it at start stays cheap. */
    static final long COMPACT_BYTES = 16L << 20;

    static final String FILE = "requests.ledger";
    private static final byte[] HEADER = "SCRAMBLE-LEDGER-1\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte ACCEPTED = 1;
    private static final byte DONE = 2;
    private static final byte INTERRUPTED = 3;
    private static final int KEY_BYTES = 32;
    private static final int ID_BYTES = 16;
    private static final int DIGEST_BYTES = 32;

    /** What the ledger knows of one request. */
    enum State {
        /** Accepted in this run and still running. */
        RUNNING,
        /** Finished; its sealed reply is kept. */
        DONE,
        /** Accepted before a restart and never finished: its effect is unknown. */
        INTERRUPTED
    }

    /** One remembered request: who sent it, and what became of it. */
    static final class Entry {
        final byte[] envelopeDigest;
        final String identity;
        final String session;
        final String command;
        /** From an earlier run of the agent (loaded by {@link #open}). */
        final boolean earlierRun;

        State state = State.RUNNING;
        byte[] reply;

        Entry(byte[] envelopeDigest, String identity, String session, String command, boolean earlierRun) {
            this.envelopeDigest = envelopeDigest;
            this.identity = identity;
            this.session = session;
            this.command = command;
            this.earlierRun = earlierRun;
        }

        State state() {
            return state;
        }

        byte[] reply() {
            return reply;
        }

        /** Whether {@code envelopeBytes} are the very envelope this entry was accepted for. */
        boolean sameEnvelope(byte[] envelopeBytes) {
            return MessageDigest.isEqual(envelopeDigest, sha256(envelopeBytes));
        }
    }

    /** An accepted request found without an outcome when the ledger was opened. */
    record Interrupted(String key, String identity, String session, String requestIdHex, String command) {}

    private final Path file;
    private final int capacity;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<Interrupted> interrupted;
    /** Taken before {@code this} when both are needed (compaction), never the other way round. */
    private final Object syncLock = new Object();
    /** Bytes ever appended (not reset by compaction), so "is my record durable" is one comparison. */
    private final AtomicLong appended = new AtomicLong();
    /** Of {@link #appended}, how much is known to be on disk. */
    private final AtomicLong durable = new AtomicLong();

    private volatile FileChannel channel;
    private long filePos; // under this
    private long replyBytes; // of the entries held, under this
    private int records; // records in the file, under this

    private RequestLedger(
            Path file, int capacity, FileChannel channel, List<Interrupted> interrupted, long size, int records) {
        this.file = file;
        this.capacity = capacity;
        this.channel = channel;
        this.interrupted = interrupted;
        this.filePos = size;
        this.records = records;
    }

    /**
     * Opens the ledger in {@code stateDir}, creating it if missing; drops a torn last record and
     * marks every request left without an outcome INTERRUPTED (see {@link #interruptedAtOpen}).
     *
     * @throws LedgerCorruptException if the file is damaged other than by a torn last record
     */
    static RequestLedger open(Path stateDir) throws IOException {
        return open(stateDir, CAPACITY);
    }

    /** {@link #open(Path)} remembering {@code capacity} requests (tests use a small one). */
    static RequestLedger open(Path stateDir, int capacity) throws IOException {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        Files.createDirectories(stateDir);
        Path file = stateDir.resolve(FILE);
        boolean fresh = !Files.exists(file);
        FileChannel ch =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            Map<String, Entry> loaded = new LinkedHashMap<>();
            long end;
            int count;
            if (fresh || ch.size() == 0) {
                ch.write(ByteBuffer.wrap(HEADER), 0);
                ch.force(true);
                end = HEADER.length;
                count = 0;
            } else {
                Scan scan = scan(file, readAll(file, ch, capacity), loaded);
                end = scan.end;
                count = scan.records;
                if (end < ch.size()) {
                    ch.truncate(end); // a torn last record: never fsync'd, so nothing ran for it
                    ch.force(true);
                }
            }
            List<Interrupted> interrupted = new ArrayList<>();
            loaded.forEach((key, e) -> {
                if (e.state == State.RUNNING) {
                    interrupted.add(
                            new Interrupted(key, e.identity, e.session, key.substring(KEY_BYTES * 2 + 1), e.command));
                }
            });
            RequestLedger ledger = new RequestLedger(file, capacity, ch, List.copyOf(interrupted), end, count);
            ledger.entries.putAll(loaded);
            loaded.values().forEach(e -> ledger.replyBytes += e.reply == null ? 0 : e.reply.length);
            ledger.trim();
            for (Entry e : ledger.entries.values()) {
                if (e.state == State.RUNNING) {
                    e.state = State.INTERRUPTED; // answered so from now on; made durable by settleInterrupted
                }
            }
            if (fresh) {
                forceDirectory(stateDir);
            }
            return ledger;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * The requests that were running when the agent last stopped, in the order they were
     * accepted. The caller audits them, then calls {@link #settleInterrupted}: a crash in between
     * reports them again at the next start rather than never.
     */
    List<Interrupted> interruptedAtOpen() {
        return interrupted;
    }

    /** Records, durably, that the requests of {@link #interruptedAtOpen} were interrupted. */
    void settleInterrupted() throws IOException {
        synchronized (this) {
            for (Interrupted i : interrupted) {
                if (entries.containsKey(i.key())) {
                    write(record(INTERRUPTED, i.key(), new byte[0]));
                }
            }
        }
        sync();
    }

    /** What is known of a request accepted before this run, or {@code null}. */
    synchronized Entry earlier(String sessionKeyHex, String requestIdHex) {
        Entry e = entries.get(key(sessionKeyHex, requestIdHex));
        return e != null && e.earlierRun ? e : null;
    }

    /**
     * Records, durably, that a state-changing request is about to run. Returns once the record is
     * fsync'd: only then may the handler run.
     */
    void accepted(
            String sessionKeyHex,
            String requestIdHex,
            byte[] envelopeBytes,
            String identity,
            String session,
            String command)
            throws IOException {
        String key = key(sessionKeyHex, requestIdHex);
        byte[] digest = sha256(envelopeBytes);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.write(digest);
        out.writeUTF(identity);
        out.writeUTF(session);
        out.writeUTF(command);
        synchronized (this) {
            write(record(ACCEPTED, key, body.toByteArray()));
            entries.put(key, new Entry(digest, identity, session, command, false));
            trim();
        }
        sync();
    }

    /**
     * Records, durably, the sealed reply of a request accepted in this run; returns once it is
     * fsync'd. Does nothing for a request the ledger does not hold as running (not state-changing,
     * or forgotten).
     */
    void done(String sessionKeyHex, String requestIdHex, byte[] sealedReply) throws IOException {
        String key = key(sessionKeyHex, requestIdHex);
        synchronized (this) {
            Entry e = entries.get(key);
            if (e == null || e.state != State.RUNNING || e.earlierRun) {
                return;
            }
            byte[] kept = sealedReply.length + KEY_BYTES + ID_BYTES + 1 <= MAX_RECORD ? sealedReply : new byte[0];
            write(record(DONE, key, kept));
            e.state = State.DONE;
            e.reply = kept;
            replyBytes += kept.length;
            trim();
        }
        sync();
        synchronized (syncLock) {
            synchronized (this) {
                // At twice the requests it keeps: rewrites stay rare.
                if (records > 4 * capacity || filePos > COMPACT_BYTES) {
                    compact();
                }
            }
        }
    }

    synchronized int size() {
        return entries.size();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    // ---- writing ----

    /** Appends one record; caller holds the lock. */
    private void write(byte[] rec) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(rec);
        while (buf.hasRemaining()) {
            filePos += channel.write(buf, filePos);
        }
        appended.addAndGet(rec.length);
        records++;
    }

    /** Group commit: waits until everything appended so far is on disk, forcing it if no one else has. */
    private void sync() throws IOException {
        long target = appended.get();
        synchronized (syncLock) {
            if (durable.get() >= target) {
                return; // another caller's fsync already covered this record
            }
            long upTo = appended.get();
            channel.force(false);
            durable.accumulateAndGet(upTo, Math::max);
        }
    }

    /** Rewrites the file with only the remembered requests; caller holds {@code syncLock}, then this. */
    private void compact() throws IOException {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(HEADER);
        int count = 0;
        for (Map.Entry<String, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(body);
            out.write(e.envelopeDigest);
            out.writeUTF(e.identity);
            out.writeUTF(e.session);
            out.writeUTF(e.command);
            all.write(record(ACCEPTED, me.getKey(), body.toByteArray()));
            count++;
            if (e.state == State.DONE) {
                all.write(record(DONE, me.getKey(), e.reply));
                count++;
            } else if (e.state == State.INTERRUPTED) {
                all.write(record(INTERRUPTED, me.getKey(), new byte[0]));
                count++;
            }
        }
        try (FileChannel out = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(all.toByteArray());
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(file.getParent());
        FileChannel old = channel;
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        old.close();
        filePos = all.size();
        records = count;
        durable.accumulateAndGet(appended.get(), Math::max); // the new file was fsync'd whole
    }

    private static byte[] record(byte type, String key, byte[] rest) {
        byte[] keyBytes = HexFormat.of().parseHex(key.substring(0, KEY_BYTES * 2));
        byte[] idBytes = HexFormat.of().parseHex(key.substring(KEY_BYTES * 2 + 1));
        ByteBuffer body = ByteBuffer.allocate(1 + KEY_BYTES + ID_BYTES + rest.length);
        body.put(type).put(keyBytes).put(idBytes).put(rest);
        byte[] b = body.array();
        CRC32C crc = new CRC32C();
        crc.update(b);
        return ByteBuffer.allocate(8 + b.length)
                .putInt(b.length)
                .putInt((int) crc.getValue())
                .put(b)
                .array();
    }

    // ---- reading ----

    private record Scan(long end, int records) {}

    private static Scan scan(Path file, byte[] bytes, Map<String, Entry> into) throws LedgerCorruptException {
        if (bytes.length < HEADER.length
                || !MessageDigest.isEqual(java.util.Arrays.copyOf(bytes, HEADER.length), HEADER)) {
            throw new LedgerCorruptException(file, 0, "it does not start with the ledger header");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int pos = HEADER.length;
        int count = 0;
        while (pos < bytes.length) {
            String problem = null;
            int len = -1;
            if (bytes.length - pos < 8) {
                problem = "a record header is cut off";
            } else {
                len = buf.getInt(pos);
                if (len < 1 + KEY_BYTES + ID_BYTES || len > MAX_RECORD) {
                    problem = "a record claims " + len + " bytes";
                } else if ((long) pos + 8 + len > bytes.length) {
                    problem = "a record is cut off";
                } else {
                    CRC32C crc = new CRC32C();
                    crc.update(bytes, pos + 8, len);
                    if ((int) crc.getValue() != buf.getInt(pos + 4)) {
                        problem = "a record fails its checksum";
                    }
                }
            }
            if (problem != null) {
                if (isTornTail(bytes, pos, len)) {
                    return new Scan(pos, count); // killed while appending: drop what was never fsync'd
                }
                throw new LedgerCorruptException(file, pos, problem);
            }
            try {
                apply(bytes, pos + 8, len, into);
            } catch (IOException | RuntimeException e) {
                throw new LedgerCorruptException(file, pos, "a record does not parse: " + e.getMessage());
            }
            pos += 8 + len;
            count++;
        }
        return new Scan(pos, count);
    }

    /**
     * Whether a bad record at {@code pos} is the torn end of an append: it reaches (or claims to
     * reach past) the end of the file, or everything from it to the end is zeros (the file was
     * extended but the data never written).
     */
    private static boolean isTornTail(byte[] bytes, int pos, int len) {
        if (len < 0 || (long) pos + 8 + len >= bytes.length) {
            return true;
        }
        for (int i = pos; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static void apply(byte[] bytes, int off, int len, Map<String, Entry> into) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes, off, len);
        byte type = b.get();
        byte[] keyBytes = new byte[KEY_BYTES];
        byte[] id = new byte[ID_BYTES];
        b.get(keyBytes).get(id);
        String key = key(HexFormat.of().formatHex(keyBytes), HexFormat.of().formatHex(id));
        byte[] rest = new byte[b.remaining()];
        b.get(rest);
        switch (type) {
            case ACCEPTED -> {
                var in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(rest));
                byte[] digest = in.readNBytes(DIGEST_BYTES);
                if (digest.length != DIGEST_BYTES) {
                    throw new IOException("short digest");
                }
                into.remove(key);
                into.put(key, new Entry(digest, in.readUTF(), in.readUTF(), in.readUTF(), true));
            }
            case DONE, INTERRUPTED -> {
                Entry e = into.get(key);
                if (e == null) {
                    throw new IOException("an outcome for a request never accepted");
                }
                e.state = type == DONE ? State.DONE : State.INTERRUPTED;
                e.reply = type == DONE ? rest : null;
            }
            default -> throw new IOException("unknown record type " + type);
        }
    }

    private static byte[] readAll(Path file, FileChannel ch, int capacity) throws IOException {
        long size = ch.size();
        // Compaction keeps it below both bounds (plus the record that crossed one): a bigger file is not ours.
        if (size
                > Math.min((long) (4 * capacity + 4) * (MAX_RECORD + 8), COMPACT_BYTES + MAX_RECORD + 8)
                        + HEADER.length) {
            throw new LedgerCorruptException(file, size, "the file is larger than a ledger can ever grow");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        while (buf.hasRemaining() && ch.read(buf, buf.position()) >= 0) {
            // read until full
        }
        return buf.array();
    }

    /** Forgets the oldest requests past the capacity; caller holds the lock (or is {@link #open}). */
    private void trim() {
        var it = entries.entrySet().iterator();
        while ((entries.size() > capacity || replyBytes > MAX_REPLY_BYTES) && it.hasNext()) {
            Entry e = it.next().getValue();
            replyBytes -= e.reply == null ? 0 : e.reply.length;
            it.remove();
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot fsync a directory; the file's own fsync still holds.
        }
    }

    private static String key(String sessionKeyHex, String requestIdHex) {
        return sessionKeyHex + "/" + requestIdHex;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
