package org.multiverse.scramble.protocol.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
    static final String REPLAY_DIR = "replay";
    static final String AUDIT_DIR = "audit";
    private static final int SEED_BYTES = 32;

    private AgentState() {}

    /** rwx------: the state directory and the directories in it are the agent's alone. */
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    /** What {@link #requireStrictModes} checks in the state directory, when present, and what it is. */
    private static final Map<String, String> TRUSTED_ENTRIES = Map.of(
            KEY_FILE, "agent key",
            AUTHORIZED_FILE, "authorised roots file",
            REVOCATIONS_FILE, "revocations file",
            REPLAY_DIR, "replay state directory",
            AUDIT_DIR, "audit directory");

    /**
     * Creates the agent's identity in a new or empty state directory; refuses to overwrite one.
     * Directories it creates are 0700 and the key 0600, whatever the umask, so that
     * {@link #requireStrictModes} accepts them.
     */
    public static Identity init(Path stateDir) throws IOException {
        createPrivateDirectories(stateDir);
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

    /** Creates {@code dir} and any missing parent with mode 0700 (an existing one is left as it is). */
    private static void createPrivateDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, OWNER_ONLY_DIR);
            // The umask can still have masked bits out (never in); set exactly 0700.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /**
     * Makes the state directory's own directories (audit, replay) before the agent opens them,
     * 0700 whatever the umask, so a group-writable default never lets another user in.
     */
    static void createPrivateParts(Path stateDir) throws IOException {
        createPrivateDirectories(stateDir.resolve(REPLAY_DIR));
        createPrivateDirectories(stateDir.resolve(AUDIT_DIR));
    }

    /**
     * As sshd's StrictModes: refuses to serve from a state directory that another user could
     * change. The directory, every directory above it and the key, authorised roots,
     * revocations, replay and audit entries in it must be the agent user's (directories above
     * may be root's) and not writable by group or others (a root-owned sticky directory above,
     * like {@code /tmp}, is accepted).
     *
     * @throws IOException naming the path and the {@code chmod} or {@code chown} that fixes it
     */
    public static void requireStrictModes(Path stateDir) throws IOException {
        PrivateFiles.requireStrictModes(stateDir, "state directory", PrivateFiles.Owner.SELF);
        for (Map.Entry<String, String> e : new TreeMap<>(TRUSTED_ENTRIES).entrySet()) {
            Path p = stateDir.resolve(e.getKey());
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                PrivateFiles.requireStrictModes(p, e.getValue(), PrivateFiles.Owner.SELF);
            }
        }
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
        return stateDir.resolve(AUDIT_DIR);
    }
}
