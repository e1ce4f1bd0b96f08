package org.multiverse.scramble.protocol.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What an attacker with write access to an agent's audit directory (but not its key) does to
 * hide entries: cut the newest, delete or edit one and recompute every hash after it, the way the
 * agent computes them. Works on a single-segment log, as tests write.
 */
public final class AuditTamper {

    /** The first segment, where a test's entries are. */
    public static final String SEGMENT = "audit-000001.jsonl";
    /** The agent's signed checkpoints beside the segments. */
    public static final String CHECKPOINTS = "checkpoints.jsonl";

    private static final String HASH_FIELD = ",\"hash\":\"";

    private AuditTamper() {}

    /** The stored lines of the log. */
    public static List<String> lines(Path auditDir) throws IOException {
        return new ArrayList<>(Files.readAllLines(auditDir.resolve(SEGMENT), StandardCharsets.UTF_8));
    }

    /** Cuts the newest {@code n} entries (the hashes before them stay valid). */
    public static void cutNewest(Path auditDir, int n) throws IOException {
        List<String> lines = lines(auditDir);
        write(auditDir, lines.subList(0, lines.size() - n));
    }

    /** Removes entry {@code index} (from 1), renumbers the rest and recomputes the chain. */
    public static void deleteAndRechain(Path auditDir, int index) throws IOException {
        List<String> lines = lines(auditDir);
        lines.remove(index - 1);
        rechain(auditDir, lines);
    }

    /** Replaces text in entry {@code index} (from 1) and recomputes the chain. */
    public static void editAndRechain(Path auditDir, int index, String from, String to) throws IOException {
        List<String> lines = lines(auditDir);
        String edited = lines.get(index - 1).replace(from, to);
        if (edited.equals(lines.get(index - 1))) {
            throw new IllegalArgumentException("entry " + index + " has no " + from);
        }
        lines.set(index - 1, edited);
        rechain(auditDir, lines);
    }

    /** The chain hash stored with entry {@code index} (from 1). */
    public static byte[] hashOf(Path auditDir, int index) throws IOException {
        String line = lines(auditDir).get(index - 1);
        int at = line.lastIndexOf(HASH_FIELD) + HASH_FIELD.length();
        return HexFormat.of().parseHex(line.substring(at, at + 64));
    }

    /** Renumbers the entries from 1 and recomputes every hash, as the agent would have. */
    public static void rechain(Path auditDir, List<String> lines) throws IOException {
        byte[] previous = new byte[32];
        List<String> out = new ArrayList<>();
        long index = 1;
        for (String line : lines) {
            String content = line.substring(0, line.lastIndexOf(HASH_FIELD));
            content = content.replaceFirst("^\\{\"index\":\\d+", "{\"index\":" + index++);
            previous = sha256(previous, content + "}");
            out.add(content + HASH_FIELD + HexFormat.of().formatHex(previous) + "\"}");
        }
        write(auditDir, out);
    }

    private static void write(Path auditDir, List<String> lines) throws IOException {
        Files.writeString(
                auditDir.resolve(SEGMENT),
                lines.isEmpty() ? "" : String.join("\n", lines) + "\n",
                StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] previous, String content) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previous);
            sha.update(content.getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
