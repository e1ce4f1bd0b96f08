package org.multiverse.scramble.rtos.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * The node's own X25519 secret (it seals telemetry in HPKE auth mode, so the person knows
 * a stream came from the pinned node): 32 raw bytes, file mode 0600, made on first start,
 * as a firmware would at provisioning.
 */
public final class NodeKeyFile {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private NodeKeyFile() {}

    /** The key in {@code file}, made (mode 0600) if the file does not exist. */
    public static X25519PrivateKeyParameters loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(mode)) {
                throw new IOException("node key " + file + " is readable by others; chmod 600 it");
            }
            byte[] secret = Files.readAllBytes(file);
            try {
                if (secret.length != X25519PrivateKeyParameters.KEY_SIZE) {
                    throw new IOException("node key " + file + " is " + secret.length + " bytes, not 32");
                }
                return new X25519PrivateKeyParameters(secret, 0);
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }
        X25519PrivateKeyParameters key = new X25519PrivateKeyParameters(new SecureRandom());
        byte[] secret = key.getEncoded();
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.write(file, secret, StandardOpenOption.TRUNCATE_EXISTING);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        return key;
    }
}
