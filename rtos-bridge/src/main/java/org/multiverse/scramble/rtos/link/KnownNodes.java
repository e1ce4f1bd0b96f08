package org.multiverse.scramble.rtos.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.multiverse.scramble.suite.pin.PinFile;
import org.multiverse.scramble.suite.pin.PinFormat;
import org.multiverse.scramble.suite.pin.PinStatus;
import org.multiverse.scramble.suite.pin.PinnedKeyChangedException;

/**
 * Node enrolment at the bridge, like ssh's known_hosts: the first hello of a node name pins its
 * node id and public key in {@code STATE_DIR/known-nodes} (lines {@code NAME NODE_ID HEXKEY},
 * the format it always had); a later hello with another id or key is refused until the line is
 * removed. The file is the project's one strict pin store ({@link PinFile}): a file others may
 * write, a malformed line or a node pinned twice stops the bridge from starting, with
 * {@code file:line}, instead of being skipped; writes are atomic and mode 0600.
 */
final class KnownNodes {

    static final String FILE = "known-nodes";

    /** The {@code known-nodes} line format. */
    static final PinFormat<NodeIdentity> FORMAT = new PinFormat<>() {
        @Override
        public String noun() {
            return "node";
        }

        @Override
        public String valueName() {
            return "node identity";
        }

        @Override
        public List<String> fieldNames() {
            return List.of("NODE_ID", "X25519_PUBLIC_KEY");
        }

        @Override
        public NodeIdentity parse(List<String> fields) {
            return new NodeIdentity(fields.get(0), fields.get(1));
        }

        @Override
        public List<String> fields(NodeIdentity value) {
            return value.fields();
        }

        @Override
        public List<String> header() {
            return List.of("# NAME NODE_ID X25519_PUBLIC_KEY (pinned at first hello)");
        }
    };

    private final PinFile<NodeIdentity> pins;

    /**
     * Opens (creating the state directory if needed) {@code stateDir/known-nodes}.
     *
     * @throws IOException naming file:line for a malformed line, or the file's permissions
     */
    KnownNodes(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        this.pins = PinFile.open(stateDir.resolve(FILE), FORMAT);
    }

    /**
     * Checks (and on first sight, pins) a node's hello.
     *
     * @throws RtosException UNAVAILABLE if a pinned node now shows another id or key, or its
     *                       first pin cannot be saved
     */
    void check(String name, String nodeId, byte[] publicKey) throws RtosException {
        NodeIdentity presented;
        try {
            presented = NodeIdentity.of(nodeId, publicKey);
        } catch (IllegalArgumentException e) {
            throw new RtosException(RtosException.Kind.UNAVAILABLE, "node " + name + " hello: " + e.getMessage());
        }
        // One lock for check-then-pin, so two links of one name cannot both pin.
        synchronized (pins) {
            try {
                if (pins.check(name, presented) == PinStatus.TRUSTED) {
                    return;
                }
            } catch (PinnedKeyChangedException e) {
                throw new RtosException(
                        RtosException.Kind.UNAVAILABLE,
                        "NODE IDENTITY HAS CHANGED: node " + name
                                + " is pinned as " + e.pinned() + " but presents " + e.presented()
                                + "; refused. If the change is expected, check the new key out of band, then remove its"
                                + " line from " + e.file() + " to re-enrol");
            }
            try {
                pins.pin(name, presented);
            } catch (IOException e) {
                throw new RtosException(
                        RtosException.Kind.UNAVAILABLE, "cannot save " + pins.file() + ": " + e.getMessage());
            }
        }
    }
}
