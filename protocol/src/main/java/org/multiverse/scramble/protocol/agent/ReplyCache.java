package org.multiverse.scramble.protocol.agent;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Step 4, deduplication: every sealed answer, kept by (session key, request id) so that a
 * request is never executed twice. A resend of the same envelope (the client does that after a
 * reconnect) gets the very same sealed bytes back; one that arrives while the first is still
 * running waits for it. An attacker replaying captured bytes learns nothing new.
 *
 * <p>"The same envelope" means the same bytes: a different, validly signed envelope that reuses
 * an answered request id (a client bug, or a client re-signing a command on its own) is refused
 * as {@link Claim#REUSED}, never answered with the earlier, unrelated reply.
 */
final class ReplyCache {

    /** Answers kept; older ones fall out, and their envelopes are then refused by the sequence window. */
    static final int CAPACITY = 8192;

    /**
     * Bytes of answers kept: replies may now be up to 16 MiB (SPEC.md §8.1), so the count alone no
     * longer bounds memory. 64 MiB keeps a few of the largest with thousands of ordinary (1 KiB)
     * answers; past it the least recently used answers go first, as when the count is reached.
     */
    static final long MAX_HELD_BYTES = 64L * 1024 * 1024;

    private long heldBytes;

    /** What {@link #claim} found. */
    record Claim(CompletableFuture<byte[]> earlier, boolean reused) {
        /** The request id is new: the caller executes the request and {@link #complete}s it. */
        static final Claim NEW = new Claim(null, false);
        /** The request id belongs to an earlier request with a different body. */
        static final Claim REUSED = new Claim(null, true);
    }

    /** An answer (or its future) and the digest of the envelope it answers. */
    private record Entry(byte[] envelopeDigest, CompletableFuture<byte[]> answer) {}

    private final Map<String, Entry> answers = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            boolean drop = size() > CAPACITY;
            if (drop) {
                heldBytes -= answerBytes(eldest.getValue());
            }
            return drop;
        }
    };

    /**
     * Claims a request. Returns {@link Claim#NEW} when this caller must execute it (and later
     * {@link #complete} it), a claim holding the future answer of the earlier identical request,
     * or {@link Claim#REUSED} when the id was used for a different envelope.
     *
     * @param envelopeBytes the envelope as received, compared by digest with the earlier one
     */
    synchronized Claim claim(String sessionKeyHex, String requestIdHex, byte[] envelopeBytes) {
        String key = sessionKeyHex + "/" + requestIdHex;
        byte[] digest = sha256(envelopeBytes);
        Entry earlier = answers.get(key);
        if (earlier != null) {
            if (earlier.envelopeDigest() != null && !MessageDigest.isEqual(earlier.envelopeDigest(), digest)) {
                return Claim.REUSED;
            }
            return new Claim(earlier.answer(), false);
        }
        answers.put(key, new Entry(digest, new CompletableFuture<>()));
        return Claim.NEW;
    }

    /** Records the sealed answer (a REPLY frame payload) of a claimed request. */
    synchronized void complete(String sessionKeyHex, String requestIdHex, byte[] sealedReply) {
        String key = sessionKeyHex + "/" + requestIdHex;
        Entry e = answers.computeIfAbsent(key, k -> new Entry(null, new CompletableFuture<>()));
        if (e.answer().complete(sealedReply)) {
            heldBytes += sealedReply.length;
            trimToHeldBytes();
        }
    }

    /** Drops answered entries, least recently used first, until the answers fit {@link #MAX_HELD_BYTES}. */
    private void trimToHeldBytes() {
        for (var it = answers.values().iterator(); it.hasNext() && heldBytes > MAX_HELD_BYTES; ) {
            Entry e = it.next();
            long n = answerBytes(e);
            if (n > 0) { // entries still being answered hold nothing and must stay claimed
                it.remove();
                heldBytes -= n;
            }
        }
    }

    private static long answerBytes(Entry e) {
        byte[] b = e.answer().getNow(null);
        return b == null ? 0 : b.length;
    }

    synchronized long heldBytes() {
        return heldBytes;
    }

    synchronized int size() {
        return answers.size();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
