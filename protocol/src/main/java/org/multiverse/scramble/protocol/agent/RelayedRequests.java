package org.multiverse.scramble.protocol.agent;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.multiverse.scramble.protocol.frame.Frame;

/**
 * Deduplication at a relay, keyed like {@link ReplyCache} by (session key, request id): the
 * first copy of a relayed envelope is checked and forwarded once; every later copy with the same
 * bytes (a client's resend after a reconnect, an attacker's replay) waits for and gets the answer
 * of the first, and is never forwarded again. A copy with other bytes under the same id is
 * {@link Claim#reused}.
 *
 * <p>The answer is the routed agent's frame, or the relay's own {@link Refusal} (completed
 * exceptionally). An answer that only says the route failed ({@link #forget}) is not kept: a
 * later resend is forwarded again, and the routed agent's own deduplication keeps it from
 * running twice.
 */
final class RelayedRequests {

    /** Relayed requests remembered; older ones fall out and are then left to the target's sequence window. */
    static final int CAPACITY = 8192;

    /**
     * What {@link #claim} found.
     *
     * @param answer the future answer: to complete when {@link #isNew}, else to wait for
     * @param isNew  true for the first copy: the caller checks and forwards it
     * @param reused true when the id was used for an envelope with other bytes (answer is null)
     */
    record Claim(CompletableFuture<Frame> answer, boolean isNew, boolean reused) {}

    private record Entry(byte[] envelopeDigest, CompletableFuture<Frame> answer) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized Claim claim(String sessionKeyHex, String requestIdHex, byte[] envelopeBytes) {
        String key = sessionKeyHex + "/" + requestIdHex;
        byte[] digest = sha256(envelopeBytes);
        Entry earlier = entries.get(key);
        if (earlier != null) {
            if (!MessageDigest.isEqual(earlier.envelopeDigest(), digest)) {
                return new Claim(null, false, true);
            }
            return new Claim(earlier.answer(), false, false);
        }
        CompletableFuture<Frame> answer = new CompletableFuture<>();
        entries.put(key, new Entry(digest, answer));
        return new Claim(answer, true, false);
    }

    /** Drops the entry holding {@code answer} (the route failed): the next copy is forwarded again. */
    synchronized void forget(String sessionKeyHex, String requestIdHex, CompletableFuture<Frame> answer) {
        String key = sessionKeyHex + "/" + requestIdHex;
        Entry e = entries.get(key);
        if (e != null && e.answer() == answer) {
            entries.remove(key);
        }
    }

    synchronized int size() {
        return entries.size();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
