package org.multiverse.scramble.shell.identity;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.InvalidScrambleIdException;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.keyfile.KeyFile;
import org.multiverse.scramble.suite.keyfile.KeyFileException;
import org.multiverse.scramble.suite.keyfile.PrivateFiles;

/**
 * The person's root identity on disk: the encrypted key file ({@code identity.key}) and, beside
 * it, the public ID in clear ({@code identity.key.pub}, like ssh's {@code .pub}) so that
 * {@code id show} and {@code id export} need no passphrase.
 */
public final class IdentityStore {

    private final Path keyFile;

    public IdentityStore(Path keyFile) {
        this.keyFile = keyFile;
    }

    public Path keyFile() {
        return keyFile;
    }

    /** The public ID file beside the key file. */
    public Path publicFile() {
        return keyFile.resolveSibling(keyFile.getFileName() + ".pub");
    }

    public boolean exists() {
        return Files.exists(keyFile);
    }

    /** Writes a new key file for {@code seed} and its public ID; refuses to replace an existing key file. */
    public void create(byte[] seed, ScrambleId id, char[] passphrase, PrintStream err) throws ShellFailure {
        if (exists()) {
            throw ShellFailure.usage(keyFile + " already exists; move it away first (it holds an identity)");
        }
        try {
            Path dir = keyFile.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            KeyFile.write(keyFile, seed, passphrase, KeyFileParams.forNewKeyFile(err));
            PrivateFiles.writeAtomically(publicFile(), (id.text() + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw ShellFailure.usage(e.getMessage());
        } catch (IOException e) {
            throw ShellFailure.failed("cannot write " + keyFile + ": " + e.getMessage());
        }
    }

    /** Decrypts the key file; the caller closes the identity (which zeroes the seed). */
    public Identity unlock(PassphraseSource passphrases) throws ShellFailure {
        requireKeyFile();
        char[] passphrase = passphrases.existing("Passphrase for " + keyFile.getFileName() + ": ");
        byte[] seed = null;
        try {
            seed = KeyFile.read(keyFile, passphrase);
            Identity identity = Identity.fromSeed(seed);
            refreshPublicFile(identity.id());
            return identity;
        } catch (KeyFileException e) {
            throw switch (e.reason()) {
                case WRONG_PASSPHRASE_OR_DAMAGED ->
                    ShellFailure.refused("wrong passphrase (or the key file " + keyFile + " is damaged)");
                case INSECURE_PERMISSIONS -> ShellFailure.refused(e.getMessage());
                default -> ShellFailure.failed(e.getMessage());
            };
        } catch (AccessDeniedException e) {
            throw ShellFailure.failed("cannot read " + keyFile + ": permission denied");
        } catch (IOException e) {
            throw ShellFailure.failed("cannot read " + keyFile + ": " + e.getMessage());
        } finally {
            Arrays.fill(passphrase, '\0');
            if (seed != null) {
                Arrays.fill(seed, (byte) 0);
            }
        }
    }

    /** The public ID from the {@code .pub} file, if it is there and well-formed. */
    public Optional<ScrambleId> publicId() throws ShellFailure {
        try {
            String text =
                    Files.readString(publicFile(), StandardCharsets.US_ASCII).strip();
            return Optional.of(ScrambleId.parse(text));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (InvalidScrambleIdException e) {
            throw ShellFailure.failed(publicFile() + " does not hold a valid Scramble ID: " + e.getMessage()
                    + " (delete it; the next unlock writes it again)");
        } catch (IOException e) {
            throw ShellFailure.failed("cannot read " + publicFile() + ": " + e.getMessage());
        }
    }

    void requireKeyFile() throws ShellFailure {
        if (!exists()) {
            throw ShellFailure.usage("no identity at " + keyFile + "; create one with: scramble-shell id init");
        }
    }

    private void refreshPublicFile(ScrambleId id) {
        try {
            Optional<ScrambleId> written = publicId();
            if (written.isEmpty() || !written.get().equals(id)) {
                PrivateFiles.writeAtomically(publicFile(), (id.text() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        } catch (ShellFailure | IOException e) {
            // The .pub file is a convenience; the key file is the truth.
        }
    }

    /** A fresh random seed for {@code id init}. */
    static Identity generate() {
        return Identity.generate(new SecureRandom());
    }
}
