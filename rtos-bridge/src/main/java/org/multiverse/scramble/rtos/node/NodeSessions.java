package org.multiverse.scramble.rtos.node;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.multiverse.scramble.suite.cert.SessionCertificate;

/**
 * The node's session cache: certificates being assembled from chunks, and verified ones
 * with the highest command sequence seen. At most {@link NodeConfig#MAX_SESSIONS} verified
 * sessions and one assembly; the least recently used verified session is evicted.
 * Guarded by the node's lock.
 */
final class NodeSessions {

    /** A verified session and its replay high-water mark. */
    static final class Session {
        final SessionCertificate certificate;
        long lastSequence;
        boolean anyCommand;

        Session(SessionCertificate certificate) {
            this.certificate = certificate;
        }
    }

    private final Map<Long, Session> verified = new LinkedHashMap<>(4, 0.75f, true);
    private long assemblingRef;
    private ByteString[] chunks;

    Session get(long ref) {
        return verified.get(ref);
    }

    void put(long ref, Session session) {
        verified.put(ref, session);
        while (verified.size() > NodeConfig.MAX_SESSIONS) {
            Long eldest = verified.keySet().iterator().next();
            verified.remove(eldest);
        }
    }

    /**
     * Adds a chunk.
     *
     * @return the whole certificate once every chunk is in, else null
     * @throws IllegalArgumentException if the chunk contradicts the assembly's count
     */
    byte[] addChunk(long ref, int index, int count, ByteString data) {
        if (chunks == null || assemblingRef != ref || chunks.length != count) {
            // A new assembly replaces an unfinished one: a node has one assembly buffer.
            assemblingRef = ref;
            chunks = new ByteString[count];
        }
        chunks[index] = data;
        for (ByteString c : chunks) {
            if (c == null) {
                return null;
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteString c : chunks) {
            all.writeBytes(c.toByteArray());
        }
        chunks = null;
        return all.toByteArray();
    }

    int received(long ref) {
        if (chunks == null || assemblingRef != ref) {
            return verified.containsKey(ref) ? -1 : 0;
        }
        int n = 0;
        for (ByteString c : chunks) {
            if (c != null) {
                n++;
            }
        }
        return n;
    }

    void clear() {
        verified.clear();
        chunks = null;
    }
}
