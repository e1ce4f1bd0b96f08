package org.multiverse.scramble.rtos.link;

import java.util.HexFormat;
import java.util.List;
import org.multiverse.scramble.rtos.wire.Bounds;

/**
 * What the bridge pins for a node at its first hello: the id it calls itself and its X25519
 * public key, as lower-case hex (the form {@code known-nodes} has always held).
 *
 * @param nodeId    the node's own id, {@link Bounds#NAME} of at most {@link Bounds#MAX_NODE_ID}
 * @param keyHex    its public key, {@link Bounds#KEY_BYTES} bytes as lower-case hex
 */
record NodeIdentity(String nodeId, String keyHex) {

    NodeIdentity {
        if (nodeId.length() > Bounds.MAX_NODE_ID || !Bounds.NAME.matcher(nodeId).matches()) {
            throw new IllegalArgumentException(
                    "node id \"" + nodeId + "\": 1.." + Bounds.MAX_NODE_ID + " of [a-z0-9_-]");
        }
        if (!keyHex.matches("[0-9a-f]{" + 2 * Bounds.KEY_BYTES + "}")) {
            throw new IllegalArgumentException("public key: expected " + Bounds.KEY_BYTES + " bytes as lower-case hex");
        }
    }

    /** The identity a hello presents. */
    static NodeIdentity of(String nodeId, byte[] publicKey) {
        return new NodeIdentity(nodeId, HexFormat.of().formatHex(publicKey));
    }

    /** The two fields of its {@code known-nodes} line after the name. */
    List<String> fields() {
        return List.of(nodeId, keyHex);
    }
}
