package org.multiverse.scramble.protocol.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Step 4, deduplication: every sealed answer, kept by (session key, request id) so that a
 * request is never executed twice. A resend of the same envelope (the client does that after a
 * reconnect) gets the very same sealed bytes back; one that arrives while the first is still
 * running waits for it. An attacker replaying captured bytes learns nothing new.
 */
final class ReplyCache {

    /** Answers kept; older ones fall out, and their envelopes are then refused by the sequence window. */
    static final int CAPACITY = 8192;

    private final Map<String, CompletableFuture<byte[]>> answers = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<byte[]>> eldest) {
            return size() > CAPACITY;
        }
    };

    /**
     * Claims a request. Returns null when this caller must execute it (and later
     * {@link #complete} it), or the future answer of the earlier identical request.
     */
    synchronized CompletableFuture<byte[]> claim(String sessionKeyHex, String requestIdHex) {
        String key = sessionKeyHex + "/" + requestIdHex;
        CompletableFuture<byte[]> earlier = answers.get(key);
        if (earlier != null) {
            return earlier;
        }
        answers.put(key, new CompletableFuture<>());
        return null;
    }

    /** Records the sealed answer (a REPLY frame payload) of a claimed request. */
    synchronized void complete(String sessionKeyHex, String requestIdHex, byte[] sealedReply) {
        String key = sessionKeyHex + "/" + requestIdHex;
        CompletableFuture<byte[]> f = answers.computeIfAbsent(key, k -> new CompletableFuture<>());
        f.complete(sealedReply);
    }

    synchronized int size() {
        return answers.size();
    }
}
