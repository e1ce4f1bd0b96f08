package org.multiverse.scramble.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.agent.audit.AuditVerification;

/**
 * Fuzzes what {@code audit verify} and {@code audit tail} read back: audit segments on disk,
 * which anyone who could write the state directory may have edited. For any bytes,
 * {@link AuditLog#verify} answers (intact, or the first bad entry with a reason) and throws
 * nothing; and every log it calls intact can be shown, by the CLI and by the
 * {@code audit.tail} command, entry for entry. A hash chain is not something a fuzzer can guess,
 * so when the first byte is odd the harness re-chains the lines as a forger would (the chain has
 * no key) and the input reaches the JSON and index checks. Seeds:
 * {@code src/test/resources/.../AuditSegmentFuzzTestInputs/verifiesOrNamesTheBadEntry/}.
 */
class AuditSegmentFuzzTest {

    private static final String HASH_FIELD = ",\"hash\":\"";
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("audit-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DIR.toFile().deleteOnExit();
    }

    @FuzzTest(maxDuration = "2m")
    void verifiesOrNamesTheBadEntry(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        if ((input[0] & 1) == 1) {
            bytes = rechained(bytes);
        }
        Path segment = DIR.resolve("audit-000001.jsonl");
        Files.write(segment, bytes);
        segment.toFile().deleteOnExit();

        AuditVerification v = AuditLog.verify(DIR);
        assertTrue(v.entriesChecked() >= 0);
        if (!v.ok()) {
            assertEquals(v.entriesChecked() + 1, v.firstBadIndex(), v.problem());
            assertTrue(v.problem().startsWith("audit-000001.jsonl:"), v.problem());
            return;
        }
        List<AuditRecord> all = AuditLog.tail(DIR, (int) Math.min(Integer.MAX_VALUE, v.entriesChecked() + 1));
        assertEquals(v.entriesChecked(), all.size());
        for (int i = 0; i < all.size(); i++) {
            AuditRecord r = all.get(i);
            assertEquals(i + 1, r.index());
            AuditFormat.line(r);
            AgentCommands.toEntry(r);
        }
    }

    /** The bytes with each line's stored hash replaced by the right one, as a forger would. */
    private static byte[] rechained(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return bytes;
        }
        StringBuilder out = new StringBuilder();
        byte[] previous = new byte[32];
        for (String line : text.lines().toList()) {
            int at = line.lastIndexOf(HASH_FIELD);
            if (at >= 0 && line.endsWith("\"}") && line.length() == at + HASH_FIELD.length() + 64 + 2) {
                String content = line.substring(0, at) + "}";
                previous = sha256(previous, content);
                line = line.substring(0, at) + HASH_FIELD + HexFormat.of().formatHex(previous) + "\"}";
            }
            out.append(line).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
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
