package org.multiverse.scramble.shell.identity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.multiverse.scramble.shell.ShellFailure;

/**
 * A passphrase kept in a file for scripts ({@code --passphrase-file FILE}): the first line,
 * without its line end. Refused, like the key file itself, when group or others may read or
 * write it, naming the {@code chmod 600} that fixes it.
 */
public final class PassphraseFile implements PassphraseSource {

    /** A passphrase is a line; a bigger file is not a passphrase file. */
    static final int MAX_BYTES = 4096;

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private final Path file;

    public PassphraseFile(Path file) {
        this.file = file;
    }

    @Override
    public char[] existing(String prompt) throws ShellFailure {
        return read();
    }

    @Override
    public char[] fresh(String prompt) throws ShellFailure {
        return read();
    }

    char[] read() throws ShellFailure {
        byte[] bytes;
        try {
            PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw ShellFailure.usage("passphrase file " + file + " is not a regular file");
            }
            Set<PosixFilePermission> open = EnumSet.copyOf(attributes.permissions());
            open.retainAll(GROUP_OR_OTHERS);
            if (!open.isEmpty()) {
                throw ShellFailure.refused("passphrase file " + file + " can be read or written by others; "
                        + "it must be yours only. Run: chmod 600 " + file);
            }
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            throw ShellFailure.usage("passphrase file " + file + " does not exist");
        } catch (IOException e) {
            throw ShellFailure.failed("cannot read passphrase file " + file + ": " + e.getMessage());
        }
        try {
            if (bytes.length > MAX_BYTES) {
                throw ShellFailure.usage(
                        "passphrase file " + file + " is larger than " + MAX_BYTES + " bytes: not a passphrase");
            }
            int end = 0;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            if (end == 0) {
                throw ShellFailure.usage("passphrase file " + file + " starts with an empty line");
            }
            return decode(bytes, end);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private char[] decode(byte[] bytes, int length) throws ShellFailure {
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
            char[] out = Arrays.copyOf(chars.array(), chars.limit());
            Arrays.fill(chars.array(), '\0');
            return out;
        } catch (CharacterCodingException e) {
            throw ShellFailure.usage("passphrase file " + file + " is not UTF-8 text");
        }
    }
}
