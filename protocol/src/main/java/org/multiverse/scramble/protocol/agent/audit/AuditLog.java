package org.multiverse.scramble.protocol.agent.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The agent's append-only, hash-chained, fsync'd audit log.
 *
 * <p>Entries are JSON lines in segment files {@code audit-000001.jsonl}, ... Each line ends
 * with {@code ,"hash":"<hex>"}} where hash = SHA-256(previous entry's hash ‖ the line up to
 * that field, closed with {@code }}); the first entry chains from 32 zero bytes, and the
 * chain runs on across segments. Changing, inserting, removing or reordering any entry
 * breaks the chain at that entry. Cutting the newest entries, or recomputing every hash after a
 * change, does not: {@link AuditAnchor}'s signed checkpoints and the clients' witnesses of
 * {@link #head()} catch those (SPEC §13.4).
 *
 * <p>{@link #append} returns a future that completes once the entry is on disk: a single
 * writer thread takes every entry queued meanwhile, writes them and calls fsync once (group
 * commit), so a reply waits for its audit entry without one fsync per command.
 * {@link #appendWritten} completes earlier, once the entry is written to the file (it then
 * survives the agent being killed, though not the host losing power); the agent uses it for the
 * decision it records before acting, and waits for the fsync of the outcome — which is later in
 * the same file, so covers both — before the reply leaves.
 */
public final class AuditLog implements AutoCloseable {

    /** A segment is closed and a new one begun past this size, so old ones can be archived. */
    static final long SEGMENT_BYTES = 16L << 20;
    /** Entries written per fsync at most: bounds the latency one group commit adds. */
    static final int MAX_GROUP = 512;

    private static final String HASH_FIELD = ",\"hash\":\"";
    private static final Pattern SEGMENT_NAME = Pattern.compile("audit-(\\d{6})\\.jsonl");
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final Path dir;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    // Writer-thread state.
    private FileChannel channel;
    private int segment;
    private long segmentSize;
    private byte[] lastHash;
    private long lastIndex;
    /** The last entry known to be on disk (fsync'd): what replies and checkpoints vouch for. */
    private volatile AuditHead durable;

    private record Pending(AuditRecord record, CompletableFuture<Long> written, CompletableFuture<Long> done) {}

    private AuditLog(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        List<Path> segments = segments(dir);
        lastHash = new byte[32];
        lastIndex = 0;
        if (!segments.isEmpty()) {
            AuditVerification v = verify(dir);
            if (!v.ok()) {
                throw new IOException("audit log in " + dir + " is damaged at entry " + v.firstBadIndex() + ": "
                        + v.problem() + " (run 'audit verify'; move the log aside to start a new one)");
            }
            Tail tail = readTail(segments);
            lastHash = tail.hash;
            lastIndex = tail.index;
            segment = segmentNumber(segments.get(segments.size() - 1));
        } else {
            segment = 1;
        }
        durable = new AuditHead(lastIndex, lastHash);
        openSegment();
        writer = new Thread(this::writeLoop, "audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Opens (creating if needed) the audit log in {@code dir}; refuses a damaged one. */
    public static AuditLog open(Path dir) throws IOException {
        return new AuditLog(dir);
    }

    /**
     * Queues an entry; the future completes with its index once it is fsync'd, or fails if
     * it could not be written (the caller then must not act: no audit, no action).
     */
    public CompletableFuture<Long> append(AuditRecord record) {
        return enqueue(record).done;
    }

    /**
     * Queues an entry; the future completes with its index once it is written to the file
     * (not yet fsync'd). A later {@link #append} whose future completed covers it on disk.
     */
    public CompletableFuture<Long> appendWritten(AuditRecord record) {
        return enqueue(record).written;
    }

    private Pending enqueue(AuditRecord record) {
        Pending p = new Pending(record, new CompletableFuture<>(), new CompletableFuture<>());
        if (closed) {
            IOException e = new IOException("audit log is closed");
            p.written.completeExceptionally(e);
            p.done.completeExceptionally(e);
            return p;
        }
        queue.add(p);
        return p;
    }

    /** Appends and waits until the entry is on disk. */
    public long appendAndWait(AuditRecord record) throws IOException {
        return await(append(record));
    }

    /** Appends and waits until the entry is written to the file (see {@link #appendWritten}). */
    public long appendAndWaitWritten(AuditRecord record) throws IOException {
        return await(appendWritten(record));
    }

    private static long await(CompletableFuture<Long> f) throws IOException {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing the audit log", e);
        } catch (Exception e) {
            throw new IOException("audit log write failed: " + e.getMessage(), e);
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_GROUP - 1);
                writeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                for (Pending p : batch) {
                    p.written.completeExceptionally(e);
                    p.done.completeExceptionally(e);
                }
            }
            batch.clear();
        }
    }

    private void writeBatch(List<Pending> batch) throws IOException {
        List<Long> indexes = new ArrayList<>(batch.size());
        ByteBuffer buffer;
        StringBuilder text = new StringBuilder();
        byte[] hash = lastHash;
        long index = lastIndex;
        for (Pending p : batch) {
            index++;
            String body = toJson(p.record.withIndex(index));
            String content = body.substring(0, body.length() - 1); // without the closing brace
            hash = chain(hash, content + "}");
            text.append(content)
                    .append(HASH_FIELD)
                    .append(HexFormat.of().formatHex(hash))
                    .append("\"}\n");
            indexes.add(index);
        }
        buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        if (segmentSize > 0 && segmentSize + buffer.remaining() > SEGMENT_BYTES) {
            channel.force(true);
            channel.close();
            segment++;
            openSegment();
        }
        while (buffer.hasRemaining()) {
            segmentSize += channel.write(buffer);
        }
        lastHash = hash;
        lastIndex = index;
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).written.complete(indexes.get(i));
        }
        channel.force(false);
        durable = new AuditHead(index, hash);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done.complete(indexes.get(i));
        }
    }

    private void openSegment() throws IOException {
        Path file = dir.resolve(String.format("audit-%06d.jsonl", segment));
        boolean created = !Files.exists(file);
        channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        segmentSize = channel.size();
        if (created) {
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true); // the new file's directory entry must survive a crash too
            } catch (IOException ignored) {
                // Some filesystems cannot fsync a directory; the file itself is still fsync'd.
            }
        }
    }

    private static String toJson(AuditRecord r) {
        try {
            return JSON.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] chain(byte[] previous, String content) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previous);
            sha.update(content.getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** The last {@code n} entries, oldest first. */
    public static List<AuditRecord> tail(Path dir, int n) throws IOException {
        ArrayDeque<AuditRecord> last = new ArrayDeque<>();
        List<Path> segments = segments(dir);
        for (int s = segments.size() - 1; s >= 0 && last.size() < n; s--) {
            List<String> lines = Files.readAllLines(segments.get(s), StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0 && last.size() < n; i--) {
                if (!lines.get(i).isEmpty()) {
                    last.addFirst(parse(lines.get(i)));
                }
            }
        }
        return new ArrayList<>(last);
    }

    /** Checks the whole chain, naming the first entry that breaks it. */
    public static AuditVerification verify(Path dir) throws IOException {
        return verify(dir, Long.MAX_VALUE, (index, hash, record) -> {});
    }

    /**
     * Checks the first {@code limit} entries of the chain (a running agent passes its durable
     * count, so a line being written meanwhile is not mistaken for damage), showing each entry
     * that chains correctly to {@code visitor}.
     */
    static AuditVerification verify(Path dir, long limit, ChainVisitor visitor) throws IOException {
        byte[] previous = new byte[32];
        long expectedIndex = 1;
        long checked = 0;
        for (Path segment : segments(dir)) {
            int lineNo = 0;
            try (BufferedReader in = Files.newBufferedReader(segment, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (checked >= limit) {
                        return new AuditVerification(true, checked, 0, "");
                    }
                    lineNo++;
                    String where = segment.getFileName() + ":" + lineNo;
                    int at = line.lastIndexOf(HASH_FIELD);
                    if (at < 0 || !line.endsWith("\"}") || line.length() != at + HASH_FIELD.length() + 64 + 2) {
                        return new AuditVerification(false, checked, expectedIndex, where + ": no hash field");
                    }
                    String content = line.substring(0, at) + "}";
                    String stored = line.substring(at + HASH_FIELD.length(), line.length() - 2);
                    byte[] hash = chain(previous, content);
                    byte[] storedBytes;
                    try {
                        storedBytes = HexFormat.of().parseHex(stored);
                    } catch (IllegalArgumentException e) {
                        return new AuditVerification(false, checked, expectedIndex, where + ": hash is not hex");
                    }
                    if (!MessageDigest.isEqual(hash, storedBytes)) {
                        return new AuditVerification(
                                false,
                                checked,
                                expectedIndex,
                                where + ": hash does not match the entry and the chain before it");
                    }
                    AuditRecord record;
                    try {
                        record = parse(line);
                    } catch (IOException e) {
                        return new AuditVerification(false, checked, expectedIndex, where + ": not an audit entry");
                    }
                    if (record.index() != expectedIndex) {
                        return new AuditVerification(
                                false,
                                checked,
                                expectedIndex,
                                where + ": index " + record.index() + " where " + expectedIndex + " was expected");
                    }
                    visitor.entry(expectedIndex, hash, record);
                    previous = hash;
                    expectedIndex++;
                    checked++;
                }
            } catch (CharacterCodingException e) {
                // The agent writes UTF-8 only: the file was damaged or edited. The reader decodes
                // ahead of the lines it returns, so the bad bytes are in this line or a later one.
                return new AuditVerification(
                        false,
                        checked,
                        expectedIndex,
                        segment.getFileName() + ":" + (lineNo + 1) + ": not UTF-8 text (in this line or a later one)");
            }
        }
        return new AuditVerification(true, checked, 0, "");
    }

    /** Parses one stored line (the hash field is ignored here; {@link #verify} checks it). */
    static AuditRecord parse(String line) throws IOException {
        int at = line.lastIndexOf(HASH_FIELD);
        String json = at < 0 ? line : line.substring(0, at) + "}";
        AuditRecord r;
        try {
            r = JSON.readValue(json, AuditRecord.class);
        } catch (JsonProcessingException e) {
            throw new IOException("not an audit entry: " + e.getOriginalMessage());
        }
        // The agent writes every field; an entry without one was not written by it, and would
        // fail later in whatever shows it (audit tail).
        if (r == null
                || r.time() == null
                || r.identity() == null
                || r.session() == null
                || r.requestId() == null
                || r.command() == null
                || r.decision() == null
                || r.reason() == null
                || r.result() == null) {
            throw new IOException("not an audit entry: a field is missing or null");
        }
        try {
            Instant.parse(r.time());
        } catch (DateTimeParseException e) {
            throw new IOException("not an audit entry: time is not an ISO-8601 instant");
        }
        return r;
    }

    /** The record as one JSON object (what {@code audit tail --json} prints). */
    public static String toJsonLine(AuditRecord record) {
        return toJson(record);
    }

    private record Tail(long index, byte[] hash) {}

    private static Tail readTail(List<Path> segments) throws IOException {
        for (int s = segments.size() - 1; s >= 0; s--) {
            List<String> lines = Files.readAllLines(segments.get(s), StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i);
                if (!line.isEmpty()) {
                    int at = line.lastIndexOf(HASH_FIELD);
                    byte[] hash = HexFormat.of().parseHex(line.substring(at + HASH_FIELD.length(), line.length() - 2));
                    return new Tail(parse(line).index(), hash);
                }
            }
        }
        return new Tail(0, new byte[32]);
    }

    private static List<Path> segments(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p ->
                            SEGMENT_NAME.matcher(p.getFileName().toString()).matches())
                    .sorted()
                    .toList();
        }
    }

    private static int segmentNumber(Path p) {
        Matcher m = SEGMENT_NAME.matcher(p.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(p.toString());
        }
        return Integer.parseInt(m.group(1));
    }

    /** The chain's last entry that is on disk (fsync'd), and its hash. */
    public AuditHead head() {
        return durable;
    }

    /** Index of the last entry written. */
    public long lastIndex() {
        return lastIndex;
    }

    /** Writes what is queued, then closes. */
    @Override
    public void close() throws IOException {
        closed = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.force(true);
        channel.close();
    }
}
