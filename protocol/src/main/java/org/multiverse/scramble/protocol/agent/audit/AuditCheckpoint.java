package org.multiverse.scramble.protocol.agent.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.sign.SignatureContext;
import org.multiverse.scramble.suite.sign.Signatures;

/**
 * An agent's signed statement "my audit chain had {@code count} entries, the last with hash
 * {@code head}, at {@code timeMillis}" (SPEC §13.4). Signed with the agent's identity key under
 * {@link SignatureContext#AUDIT_CHECKPOINT} over {@link #signedBytes}: whoever later holds the
 * log can check that it still extends every checkpoint, and cannot make a new one without the
 * agent's key.
 *
 * @param count      entries covered
 * @param head       the chain hash of entry {@code count} (32 bytes)
 * @param timeMillis the agent's clock when it signed
 * @param signature  Ed25519 signature (64 bytes)
 */
public record AuditCheckpoint(long count, byte[] head, long timeMillis, byte[] signature) {

    /** Length of {@link #signedBytes}: count (8) ‖ head (32) ‖ time (8). */
    static final int SIGNED_LENGTH = 8 + AuditHead.HASH_BYTES + 8;

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public AuditCheckpoint {
        head = head.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] head() {
        return head.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The checkpoint's chain point. */
    public AuditHead auditHead() {
        return new AuditHead(count, head);
    }

    /** Signs {@code head} at {@code timeMillis} with the agent's identity key. */
    static AuditCheckpoint sign(Identity agent, AuditHead head, long timeMillis) {
        byte[] message = signedBytes(head.count(), head.hash(), timeMillis);
        return new AuditCheckpoint(
                head.count(), head.hash(), timeMillis, agent.sign(SignatureContext.AUDIT_CHECKPOINT, message));
    }

    /** {@code count (u64 big-endian) ‖ head (32 bytes) ‖ time_millis (i64 big-endian)}. */
    static byte[] signedBytes(long count, byte[] head, long timeMillis) {
        if (head.length != AuditHead.HASH_BYTES) {
            throw new IllegalArgumentException("a checkpoint head is 32 bytes");
        }
        return ByteBuffer.allocate(SIGNED_LENGTH)
                .putLong(count)
                .put(head)
                .putLong(timeMillis)
                .array();
    }

    /** Whether {@code agent}'s identity key made this signature. */
    public boolean verify(ScrambleId agent) {
        if (head.length != AuditHead.HASH_BYTES || count < 0) {
            return false;
        }
        return Signatures.verify(
                agent.publicKey(), SignatureContext.AUDIT_CHECKPOINT, signedBytes(count, head, timeMillis), signature);
    }

    /** "count N, head abcdef…, signed 2026-…Z", for messages. */
    String describe() {
        String hex = HexFormat.of().formatHex(head);
        return "count " + count + ", head " + hex.substring(0, Math.min(12, hex.length())) + ", signed "
                + Instant.ofEpochMilli(timeMillis);
    }

    @JsonPropertyOrder({"count", "head", "time_millis", "signature"})
    record Line(
            @JsonProperty("count") long count,
            @JsonProperty("head") String head,
            @JsonProperty("time_millis") long timeMillis,
            @JsonProperty("signature") String signature) {}

    /** One line of the checkpoint file, without the newline. */
    String toLine() {
        try {
            return JSON.writeValueAsString(new Line(
                    count,
                    HexFormat.of().formatHex(head),
                    timeMillis,
                    HexFormat.of().formatHex(signature)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses one line of the checkpoint file (the signature is checked by {@link #verify}). */
    static AuditCheckpoint parse(String line) throws IOException {
        try {
            Line l = JSON.readValue(line, Line.class);
            if (l.head() == null || l.signature() == null) {
                throw new IOException("a checkpoint needs head and signature");
            }
            byte[] head = HexFormat.of().parseHex(l.head());
            byte[] sig = HexFormat.of().parseHex(l.signature());
            if (head.length != AuditHead.HASH_BYTES || sig.length != Signatures.SIGNATURE_LENGTH || l.count() < 0) {
                throw new IOException("a checkpoint has a 32-byte head and a 64-byte signature");
            }
            return new AuditCheckpoint(l.count(), head, l.timeMillis(), sig);
        } catch (JsonProcessingException e) {
            throw new IOException("not a checkpoint: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new IOException("not a checkpoint: " + e.getMessage());
        }
    }
}
