package org.multiverse.scramble.protocol.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.keyfile.PrivateFiles;

/**
 * An agent's state directory:
 * <pre>
 *   agent.key     the agent's 32-byte identity seed, mode 0600 (like an ssh host key: an
 *                 unattended service cannot type a passphrase; the file mode is checked)
 *   authorized    root Scramble IDs served, with their widest scope
 *   revocations   root-signed session revocations
 *   replay/       persisted sequence high-water marks
 *   audit/        the hash-chained audit log, and checkpoints.jsonl: its signed checkpoints
 * </pre>
 */
public final class AgentState {

    static final String KEY_FILE = "agent.key";
    static final String AUTHORIZED_FILE = "authorized";
    static final String REVOCATIONS_FILE = "revocations";
    private static final int SEED_BYTES = 32;

    private AgentState() {}

    /** Creates the agent's identity in a new or empty state directory; refuses to overwrite one. */
    public static Identity init(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Path key = stateDir.resolve(KEY_FILE);
        if (Files.exists(key)) {
            throw new IOException(key + " already exists: this state directory has an identity "
                    + "(remove the directory to start over)");
        }
        Identity identity = Identity.generate(new SecureRandom());
        byte[] seed = identity.seedCopy();
        try {
            PrivateFiles.writeAtomically(key, seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
        return identity;
    }

    /** Loads the agent's identity; refuses a key file that others can read. */
    public static Identity loadIdentity(Path stateDir) throws IOException {
        Path key = stateDir.resolve(KEY_FILE);
        if (!Files.exists(key)) {
            throw new IOException(
                    "no agent identity in " + stateDir + " (run 'init --state-dir " + stateDir + "' first)");
        }
        PrivateFiles.requireOwnerOnly(key, "agent key");
        byte[] seed = Files.readAllBytes(key);
        try {
            if (seed.length != SEED_BYTES) {
                throw new IOException(key + " is damaged: " + seed.length + " bytes, expected " + SEED_BYTES);
            }
            return Identity.fromSeed(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** The authorised roots of this state directory. */
    public static AuthorizedRoots roots(Path stateDir) throws IOException {
        return AuthorizedRoots.load(stateDir.resolve(AUTHORIZED_FILE));
    }

    /** Where the audit log lives. */
    public static Path auditDir(Path stateDir) {
        return stateDir.resolve("audit");
    }
}
