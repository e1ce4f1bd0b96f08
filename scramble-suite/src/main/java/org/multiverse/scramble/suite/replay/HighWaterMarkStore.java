package org.multiverse.scramble.suite.replay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Persists one high-water mark per (sender, receiver) pair, one small file each, in a state
 * directory. Writes are atomic and durable: a temporary file is written and fsynced, renamed
 * over the old one, and the directory is fsynced, so after a crash a pair's file holds either
 * the old or the new mark, never a torn one.
 *
 * <p>File name: {@code hwm-} + SHA-256 hex of {@code sender ‖ 0x0A ‖ receiver} + {@code .hwm}.
 * Content (ASCII):
 *
 * <pre>
 * scramble-replay-hwm v1
 * sender SENDER
 * receiver RECEIVER
 * mark UNSIGNED-DECIMAL
 * check SHA-256-HEX-OF-THE-FOUR-LINES-ABOVE
 * </pre>
 *
 * <p>Any deviation (truncation, bad number, wrong check, names that do not match the file
 * name) is a {@link ReplayStateException}: the state is never silently reset to zero.
 *
 * <p>Not thread-safe: {@link ReplayGuard} serialises access.
 */
public final class HighWaterMarkStore {
    /**
     * Longest sender or receiver name: a hex X25519/Ed25519 key is 64 characters, a Scramble
     * ID text about 60; 128 leaves room without letting a file grow unbounded.
     */
    public static final int MAX_NAME_CHARS = 128;

    /** Names are printable ASCII without spaces or line breaks, so the file format stays simple. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_NAME_CHARS + "}");

    static final String HEADER = "scramble-replay-hwm v1";
    static final String SUFFIX = ".hwm";
    private static final String TEMP_SUFFIX = ".tmp";

    /** A valid file is well under this; anything larger is refused before it is read whole. */
    static final int MAX_FILE_BYTES = 1024;

    private final Path directory;

    private HighWaterMarkStore(Path directory) {
        this.directory = directory;
    }

    /**
     * Opens (creating with mode 0700 if missing) the state directory and validates every mark
     * file in it, so a corrupt state stops the agent at start rather than at some later command.
     * Temporary files left by a crash mid-write are removed (their target is intact).
     *
     * @param directory the state directory
     * @return the store
     * @throws ReplayStateException if the directory cannot be used or any mark file is corrupt
     */
    public static HighWaterMarkStore open(Path directory) throws ReplayStateException {
        try {
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                createPrivateDirectory(directory);
            }
            HighWaterMarkStore store = new HighWaterMarkStore(directory);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    if (name.startsWith("hwm-") && name.endsWith(SUFFIX + TEMP_SUFFIX)) {
                        Files.delete(file);
                    } else if (name.startsWith("hwm-") && name.endsWith(SUFFIX)) {
                        store.parse(file, null, null);
                    }
                }
            }
            return store;
        } catch (ReplayStateException e) {
            throw e;
        } catch (IOException e) {
            throw new ReplayStateException("replay state directory " + directory + " unusable: " + e, e);
        }
    }

    /**
     * @return the persisted mark of the pair (unsigned), or 0 if none was ever written
     * @throws ReplayStateException if its file is corrupt or unreadable
     * @throws IllegalArgumentException if a name is not 1..128 of {@code [A-Za-z0-9._:-]}
     */
    public long read(String sender, String receiver) throws ReplayStateException {
        requireName(sender, "sender");
        requireName(receiver, "receiver");
        Path file = fileOf(sender, receiver);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        return parse(file, sender, receiver);
    }

    /**
     * Durably replaces the pair's mark.
     *
     * @param mark unsigned
     * @throws ReplayStateException if the write or an fsync fails (the caller must then refuse)
     */
    public void write(String sender, String receiver, long mark) throws ReplayStateException {
        requireName(sender, "sender");
        requireName(receiver, "receiver");
        Path file = fileOf(sender, receiver);
        Path temp = file.resolveSibling(file.getFileName() + TEMP_SUFFIX);
        byte[] content = format(sender, receiver, mark).getBytes(StandardCharsets.US_ASCII);
        try {
            try (FileChannel channel = FileChannel.open(
                    temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // The rename is durable only once the directory entry is on disk.
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new ReplayStateException("could not persist replay high-water mark to " + file, e);
        }
    }

    /** The file that holds the pair's mark. */
    Path fileOf(String sender, String receiver) {
        return directory.resolve("hwm-" + sha256Hex(sender + "\n" + receiver) + SUFFIX);
    }

    static void requireName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    what + " must be 1.." + MAX_NAME_CHARS + " characters of [A-Za-z0-9._:-]");
        }
    }

    static String format(String sender, String receiver, long mark) {
        String body = HEADER + "\n"
                + "sender " + sender + "\n"
                + "receiver " + receiver + "\n"
                + "mark " + Long.toUnsignedString(mark) + "\n";
        return body + "check " + sha256Hex(body) + "\n";
    }

    /**
     * Parses and checks one file; {@code expectedSender/Receiver} null means "whatever the file
     * says, as long as it matches the file name".
     */
    private long parse(Path file, String expectedSender, String expectedReceiver) throws ReplayStateException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw corrupt(file, "larger than " + MAX_FILE_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ReplayStateException("replay state file " + file + " vanished while read", e);
        } catch (ReplayStateException e) {
            throw e;
        } catch (IOException e) {
            throw new ReplayStateException("replay state file " + file + " unreadable: " + e, e);
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (bytes.length > MAX_FILE_BYTES || !text.endsWith("\n")) {
            throw corrupt(file, "truncated (no final line break)");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length != 5) {
            throw corrupt(file, "expected 5 lines, found " + lines.length);
        }
        if (!lines[0].equals(HEADER)) {
            throw corrupt(file, "unknown header");
        }
        String sender = field(file, lines[1], "sender");
        String receiver = field(file, lines[2], "receiver");
        String markText = field(file, lines[3], "mark");
        String check = field(file, lines[4], "check");
        int bodyLength = text.length() - lines[4].length() - 1;
        byte[] expectedCheck = sha256Hex(text.substring(0, bodyLength)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expectedCheck, check.getBytes(StandardCharsets.US_ASCII))) {
            throw corrupt(file, "check value does not match the content");
        }
        if (!NAME.matcher(sender).matches() || !NAME.matcher(receiver).matches()) {
            throw corrupt(file, "malformed sender or receiver name");
        }
        if (!file.getFileName().equals(fileOf(sender, receiver).getFileName())) {
            throw corrupt(file, "names do not match the file name");
        }
        if (expectedSender != null && !(sender.equals(expectedSender) && receiver.equals(expectedReceiver))) {
            throw corrupt(file, "holds another pair");
        }
        if (!markText.matches("[0-9]{1,20}")) {
            throw corrupt(file, "mark is not an unsigned decimal number");
        }
        try {
            return Long.parseUnsignedLong(markText);
        } catch (NumberFormatException e) {
            throw corrupt(file, "mark exceeds 2^64-1");
        }
    }

    private static String field(Path file, String line, String name) throws ReplayStateException {
        String prefix = name + " ";
        if (!line.startsWith(prefix)) {
            throw corrupt(file, "expected a '" + name + "' line");
        }
        return line.substring(prefix.length());
    }

    private static ReplayStateException corrupt(Path file, String reason) {
        return new ReplayStateException(
                "replay state file " + file + " is corrupt (" + reason + "); refusing to use it rather"
                        + " than forget which commands were already accepted. Restore it from a backup,"
                        + " or delete it deliberately only after revoking the sessions it names.");
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        try {
            Files.createDirectories(
                    directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException notADirectory) {
            throw new ReplayStateException(directory + " exists and is not a directory", notADirectory);
        }
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
