package org.multiverse.scramble.shell.identity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.suite.cert.CertificateException;
import org.multiverse.scramble.suite.cert.CertificateVerifier;
import org.multiverse.scramble.suite.cert.RevocationList;
import org.multiverse.scramble.suite.cert.SessionCertificate;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.keyfile.PrivateFiles;

/**
 * A session handed over to scripts, like {@code ssh-agent}'s socket: {@code id session-export FILE}
 * writes it after one unlock, {@code --session FILE} (or {@code SCRAMBLE_SESSION}) uses it with no
 * passphrase and no key file. It holds the session's secrets and its root-signed certificate,
 * never the root's secret, so a stolen file is worth one session until it expires.
 *
 * <p>Format 1, {@value #LENGTH} bytes:
 * <pre>
 *   magic        8   "SCRSESS" 0x00
 *   format       1   (= 1)
 *   secret      64   SessionKeys.exportSecret(): Ed25519 seed, X25519 secret
 *   certificate 186  SessionCertificate.encode() (its notAfter is the file's expiry)
 *   checksum    32   SHA-256 of everything before it
 * </pre>
 * Written with mode 0600 (atomically, never readable by others for an instant), only into a
 * directory that group and others cannot write; read only when group and others have no access.
 */
public final class SessionFile {

    static final byte[] MAGIC = {'S', 'C', 'R', 'S', 'E', 'S', 'S', 0};
    /** The format written and the only one read. */
    static final byte FORMAT = 1;

    static final int CHECKSUM_LENGTH = 32;
    /** Length of a whole format-1 file. */
    static final int LENGTH =
            MAGIC.length + 1 + SessionKeys.SECRET_LENGTH + SessionCertificate.ENCODED_LENGTH + CHECKSUM_LENGTH;
    /** Bytes read at most: enough to tell "oversized" from "a different file", never a whole big file. */
    static final int MAX_READ = 4096;

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS_WRITE =
            EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private SessionFile() {}

    /**
     * Writes {@code session} to {@code file} (replacing it), mode 0600.
     *
     * @throws ShellFailure refused if the directory is group- or other-writable (someone else could
     *         swap the file), failed if it cannot be written
     */
    public static void write(Path file, SessionKeys session) throws ShellFailure {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Set<PosixFilePermission> open = EnumSet.copyOf(
                    Files.readAttributes(dir, PosixFileAttributes.class).permissions());
            open.retainAll(GROUP_OR_OTHERS_WRITE);
            if (!open.isEmpty()) {
                throw ShellFailure.refused("will not write a session file into " + dir + ": group or others may "
                        + "write that directory (and replace the file); choose a private directory, e.g. "
                        + "$XDG_RUNTIME_DIR");
            }
        } catch (NoSuchFileException e) {
            throw ShellFailure.usage("directory " + dir + " does not exist");
        } catch (IOException e) {
            throw ShellFailure.failed("cannot check " + dir + ": " + e.getMessage());
        }
        byte[] content = encode(session);
        try {
            PrivateFiles.writeAtomically(file, content);
        } catch (IOException e) {
            throw ShellFailure.failed("cannot write session file " + file + ": " + e.getMessage());
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /**
     * Reads {@code file} and rebuilds the session, checking that it is private, intact, not expired
     * at {@code clock}'s now, and certified by {@code root} (the {@code .pub} beside the key file).
     * The caller destroys the returned keys.
     */
    public static SessionKeys read(Path file, ScrambleId root, Clock clock) throws ShellFailure {
        byte[] bytes = readPrivate(file);
        byte[] secret = null;
        try {
            ByteBuffer in = checkFrame(file, bytes);
            secret = new byte[SessionKeys.SECRET_LENGTH];
            in.get(secret);
            byte[] encodedCertificate = new byte[SessionCertificate.ENCODED_LENGTH];
            in.get(encodedCertificate);
            SessionCertificate certificate;
            try {
                certificate = SessionCertificate.decode(encodedCertificate);
            } catch (CertificateException e) {
                throw damaged(file, "its certificate is malformed (" + e.getMessage() + ")");
            }
            Instant now = clock.instant();
            if (now.toEpochMilli() >= certificate.notAfterMillis()) {
                throw ShellFailure.refused("session file " + file + " expired at "
                        + Instant.ofEpochMilli(certificate.notAfterMillis()) + "; make a new one with: "
                        + "scramble-shell id session-export " + file);
            }
            if (!certificate.root().equals(root)) {
                throw ShellFailure.refused("session file " + file + " is certified by "
                        + certificate.root().text()
                        + ", not by your Scramble ID " + root.text() + "; make a new one with: "
                        + "scramble-shell id session-export " + file);
            }
            try {
                CertificateVerifier.trusting(Set.of(root), new RevocationList()).verify(certificate, now);
            } catch (CertificateException e) {
                throw ShellFailure.refused("session file " + file + ": " + e.getMessage());
            }
            try {
                return SessionKeys.restore(secret, certificate);
            } catch (CertificateException e) {
                throw damaged(file, e.getMessage());
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    static byte[] encode(SessionKeys session) {
        byte[] secret = session.exportSecret();
        ByteBuffer out = ByteBuffer.allocate(LENGTH);
        try {
            out.put(MAGIC).put(FORMAT).put(secret).put(session.certificate().encode());
            out.put(sha256(out.array(), LENGTH - CHECKSUM_LENGTH));
            return out.array();
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** Checks magic, format, length and checksum; returns a buffer positioned at the secret. */
    private static ByteBuffer checkFrame(Path file, byte[] bytes) throws ShellFailure {
        if (bytes.length < MAGIC.length + 1 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw ShellFailure.failed(
                    file + " is not a Scramble session file (it does not start with " + "the SCRSESS magic)");
        }
        int format = bytes[MAGIC.length] & 0xff;
        if (format != FORMAT) {
            throw ShellFailure.failed("session file " + file + " has format " + format + "; this shell reads "
                    + "format " + FORMAT + ": make a new one with: scramble-shell id session-export " + file);
        }
        if (bytes.length != LENGTH) {
            throw damaged(
                    file,
                    (bytes.length < LENGTH ? "truncated: " : "oversized: ") + bytes.length
                            + (bytes.length > MAX_READ ? "+" : "") + " bytes, a format-1 session file has " + LENGTH);
        }
        byte[] expected = sha256(bytes, LENGTH - CHECKSUM_LENGTH);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, LENGTH - CHECKSUM_LENGTH, LENGTH))) {
            throw damaged(file, "checksum mismatch");
        }
        return ByteBuffer.wrap(bytes, MAGIC.length + 1, LENGTH - MAGIC.length - 1 - CHECKSUM_LENGTH);
    }

    private static byte[] readPrivate(Path file) throws ShellFailure {
        try {
            PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw ShellFailure.usage("session file " + file + " is not a regular file");
            }
            Set<PosixFilePermission> open = EnumSet.copyOf(attributes.permissions());
            open.retainAll(GROUP_OR_OTHERS);
            if (!open.isEmpty()) {
                throw ShellFailure.refused("session file " + file + " can be read or written by others; "
                        + "it must be yours only. Run: chmod 600 " + file);
            }
            try (InputStream in = Files.newInputStream(file)) {
                return in.readNBytes(MAX_READ + 1);
            }
        } catch (NoSuchFileException e) {
            throw ShellFailure.usage("session file " + file + " does not exist; make one with: "
                    + "scramble-shell id session-export " + file);
        } catch (IOException e) {
            throw ShellFailure.failed("cannot read session file " + file + ": " + e.getMessage());
        }
    }

    private static ShellFailure damaged(Path file, String why) {
        return ShellFailure.failed("session file " + file + " is damaged (" + why + "); make a new one with: "
                + "scramble-shell id session-export " + file);
    }

    private static byte[] sha256(byte[] data, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data, 0, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
