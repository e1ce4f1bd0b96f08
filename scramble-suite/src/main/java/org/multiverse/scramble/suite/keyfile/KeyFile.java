package org.multiverse.scramble.suite.keyfile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.multiverse.scramble.suite.keyfile.KeyFileException.Reason;

/**
 * A 32-byte secret seed at rest, encrypted under a passphrase.
 *
 * <p>Format version 1, fixed {@value #FILE_LENGTH} bytes, integers big-endian:
 * <pre>
 *   magic        8  "SCRMKEY1"
 *   version      1  = 1 (Argon2id v1.3, then ChaCha20-Poly1305)
 *   memory KiB   4
 *   iterations   4
 *   parallelism  1
 *   salt        16
 *   nonce       12
 *   ciphertext  32 + 16 tag: the seed
 * </pre>
 * The 32-byte Argon2id output is the AEAD key; every byte before the ciphertext
 * is the associated data, so changing the parameters, salt or nonce is detected
 * like changing the ciphertext.
 *
 * <p>The file is mode 0600 and written atomically; a file that group or others
 * may read or write is refused before it is read, as ssh refuses such keys.
 */
public final class KeyFile {

    static final byte[] MAGIC = "SCRMKEY1".getBytes(StandardCharsets.US_ASCII);
    static final byte VERSION = 1;
    static final int SEED_LENGTH = 32;
    static final int SALT_LENGTH = 16;
    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;
    static final int HEADER_LENGTH = MAGIC.length + 1 + 4 + 4 + 1 + SALT_LENGTH + NONCE_LENGTH;
    /** Length of every version-1 key file. */
    public static final int FILE_LENGTH = HEADER_LENGTH + SEED_LENGTH + TAG_LENGTH;

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyFile() {}

    /**
     * Encrypts {@code seed} under {@code passphrase} into {@code path} (mode 0600,
     * atomic replace). The caller keeps ownership of both arrays.
     *
     * @throws IllegalArgumentException for a seed that is not 32 bytes or an empty passphrase
     */
    public static void write(Path path, byte[] seed, char[] passphrase, Argon2Params params) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(passphrase, "passphrase");
        Objects.requireNonNull(params, "params");
        if (seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("a seed is " + SEED_LENGTH + " bytes, not " + seed.length);
        }
        if (passphrase.length == 0) {
            throw new IllegalArgumentException("the passphrase must not be empty");
        }
        byte[] salt = new byte[SALT_LENGTH];
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(nonce);
        byte[] header = ByteBuffer.allocate(HEADER_LENGTH)
                .put(MAGIC)
                .put(VERSION)
                .putInt(params.memoryKiB())
                .putInt(params.iterations())
                .put((byte) params.parallelism())
                .put(salt)
                .put(nonce)
                .array();
        byte[] file = Arrays.copyOf(header, FILE_LENGTH);
        byte[] key = deriveKey(passphrase, salt, params);
        try {
            ChaCha20Poly1305 aead = new ChaCha20Poly1305();
            aead.init(true, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce, header));
            int n = aead.processBytes(seed, 0, seed.length, file, HEADER_LENGTH);
            aead.doFinal(file, HEADER_LENGTH + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail an authentication check", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        PrivateFiles.writeAtomically(path, file);
    }

    /**
     * Decrypts the seed in {@code path}. The returned array is the caller's to zero.
     *
     * @throws KeyFileException with a specific reason: insecure permissions
     *         (message names {@code chmod 600 <path>}), not a regular file,
     *         truncated, too large, bad magic, unknown version, unsafe Argon2
     *         parameters, or "wrong passphrase or damaged file"
     * @throws IOException if the file cannot be read at all
     */
    public static byte[] read(Path path, char[] passphrase) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(passphrase, "passphrase");
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new KeyFileException(Reason.NOT_A_REGULAR_FILE, path + " is not a regular file");
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (!disjoint(permissions, GROUP_OR_OTHERS)) {
            throw new KeyFileException(
                    Reason.INSECURE_PERMISSIONS,
                    "permissions "
                            + PrivateFiles.octal(permissions) + " for key file " + path
                            + " are too open: it must be readable and writable by you only. Run: chmod 600 " + path);
        }
        byte[] file;
        try (InputStream in = Files.newInputStream(path)) {
            // Read at most one byte more than a key file: never allocate what a hostile file claims.
            file = in.readNBytes(FILE_LENGTH + 1);
        }
        try {
            return decrypt(path, file, passphrase);
        } finally {
            Arrays.fill(file, (byte) 0);
        }
    }

    private static byte[] decrypt(Path path, byte[] file, char[] passphrase) throws KeyFileException {
        int magicBytes = Math.min(file.length, MAGIC.length);
        if (!Arrays.equals(file, 0, magicBytes, MAGIC, 0, magicBytes)) {
            throw new KeyFileException(Reason.BAD_MAGIC, path + " is not a Scramble key file (bad magic)");
        }
        if (file.length > MAGIC.length && file[MAGIC.length] != VERSION) {
            throw new KeyFileException(
                    Reason.UNKNOWN_VERSION,
                    path + " is key-file version " + (file[MAGIC.length] & 0xff) + "; this program reads version "
                            + VERSION);
        }
        if (file.length < FILE_LENGTH) {
            throw new KeyFileException(
                    Reason.TRUNCATED, path + " is truncated: " + file.length + " bytes, a key file has " + FILE_LENGTH);
        }
        if (file.length > FILE_LENGTH) {
            throw new KeyFileException(
                    Reason.TOO_LARGE, path + " is too large for a key file (" + FILE_LENGTH + " bytes)");
        }
        ByteBuffer in = ByteBuffer.wrap(file, MAGIC.length + 1, FILE_LENGTH - MAGIC.length - 1);
        long memory = Integer.toUnsignedLong(in.getInt());
        long iterations = Integer.toUnsignedLong(in.getInt());
        int parallelism = in.get() & 0xff;
        String problem = Argon2Params.problem(memory, iterations, parallelism);
        if (problem != null) {
            throw new KeyFileException(Reason.UNSAFE_PARAMETERS, path + ": " + problem);
        }
        Argon2Params params = new Argon2Params((int) memory, (int) iterations, parallelism);
        byte[] salt = Arrays.copyOfRange(file, MAGIC.length + 10, MAGIC.length + 10 + SALT_LENGTH);
        byte[] nonce = Arrays.copyOfRange(file, HEADER_LENGTH - NONCE_LENGTH, HEADER_LENGTH);
        byte[] header = Arrays.copyOf(file, HEADER_LENGTH);
        byte[] key = deriveKey(passphrase, salt, params);
        byte[] seed = new byte[SEED_LENGTH];
        try {
            ChaCha20Poly1305 aead = new ChaCha20Poly1305();
            aead.init(false, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce, header));
            // The cipher buffers the plaintext until the tag has been checked in doFinal.
            int n = aead.processBytes(file, HEADER_LENGTH, SEED_LENGTH + TAG_LENGTH, seed, 0);
            aead.doFinal(seed, n);
            return seed;
        } catch (InvalidCipherTextException e) {
            Arrays.fill(seed, (byte) 0);
            throw new KeyFileException(Reason.WRONG_PASSPHRASE_OR_DAMAGED, "wrong passphrase or damaged file: " + path);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Argon2id(passphrase as UTF-8, salt, params) → 32-byte key; the UTF-8 copy is zeroed. */
    static byte[] deriveKey(char[] passphrase, byte[] salt, Argon2Params params) {
        byte[] password = utf8(passphrase);
        Argon2Parameters argon = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(params.memoryKiB())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism())
                .withSalt(salt)
                .build();
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(argon);
            byte[] key = new byte[32];
            generator.generateBytes(password, key);
            return key;
        } finally {
            Arrays.fill(password, (byte) 0);
            argon.clear();
        }
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer encoded;
        try {
            encoded = StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(chars));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the passphrase is not valid Unicode (lone surrogate)", e);
        }
        byte[] out = Arrays.copyOf(encoded.array(), encoded.limit());
        Arrays.fill(encoded.array(), (byte) 0);
        return out;
    }

    private static boolean disjoint(Set<PosixFilePermission> a, Set<PosixFilePermission> b) {
        for (PosixFilePermission p : a) {
            if (b.contains(p)) {
                return false;
            }
        }
        return true;
    }
}
