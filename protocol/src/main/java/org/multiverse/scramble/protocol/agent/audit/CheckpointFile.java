package org.multiverse.scramble.protocol.agent.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's signed checkpoints, one JSON line each, in {@code checkpoints.jsonl} beside the
 * audit segments; appended and fsync'd, never rewritten. A last line without its newline is
 * a write the agent did not finish (it crashed): readers skip it, the next append cuts it off.
 */
final class CheckpointFile {

    static final String NAME = "checkpoints.jsonl";

    /**
     * What the file holds.
     *
     * @param checkpoints the checkpoints that parse, in file order
     * @param lineNumbers the line of each, for messages
     * @param problems    lines that are not checkpoints, named by line number
     */
    record Contents(List<AuditCheckpoint> checkpoints, List<Integer> lineNumbers, List<String> problems) {}

    private CheckpointFile() {}

    static Contents read(Path auditDir) throws IOException {
        Path file = auditDir.resolve(NAME);
        List<AuditCheckpoint> out = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!Files.exists(file)) {
            return new Contents(out, lines, problems);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return new Contents(out, lines, problems);
        }
        String[] all = text.substring(0, end).split("\n", -1);
        for (int i = 0; i < all.length; i++) {
            try {
                out.add(AuditCheckpoint.parse(all[i]));
                lines.add(i + 1);
            } catch (IOException e) {
                problems.add(NAME + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Contents(out, lines, problems);
    }

    /** Appends one checkpoint and fsyncs it (and, for a new file, its directory entry). */
    static void append(Path auditDir, AuditCheckpoint checkpoint) throws IOException {
        Path file = auditDir.resolve(NAME);
        boolean created = !Files.exists(file);
        try (FileChannel ch =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long keep = size == 0 ? 0 : completeLength(ch, size);
            if (keep < size) {
                ch.truncate(keep); // a torn last line from a crash mid-write
            }
            ch.position(keep);
            ByteBuffer b = ByteBuffer.wrap((checkpoint.toLine() + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        if (created) {
            try (FileChannel d = FileChannel.open(auditDir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException ignored) {
                // Some filesystems cannot fsync a directory; the file itself is fsync'd.
            }
        }
    }

    /** Length of the file up to and including its last newline. */
    private static long completeLength(FileChannel ch, long size) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        for (long at = size - 1; at >= 0; at--) {
            one.clear();
            ch.read(one, at);
            if (one.get(0) == '\n') {
                return at + 1;
            }
        }
        return 0;
    }
}
