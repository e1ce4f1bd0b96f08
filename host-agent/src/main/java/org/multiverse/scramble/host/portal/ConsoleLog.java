package org.multiverse.scramble.host.portal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.multiverse.scramble.protocol.text.EscapeStripper;

/** Reads the tail of a portal's console log ({@code status.out}) without reading it all. */
final class ConsoleLog {

    /**
     * The tail is read from at most this many final bytes: a console log can grow without bound.
     * 4 MiB: 1 000 long lines (a kernel dump, a base64 blob) fit, and the answer stays well inside
     * the 16 MiB a reply may carry in parts (SPEC.md §8.1).
     */
    static final int MAX_TAIL_BYTES = 4 * 1024 * 1024;

    private ConsoleLog() {}

    /** The last {@code lines} lines, escape sequences and control characters stripped. */
    static List<String> tail(Path file, int lines) throws IOException {
        byte[] bytes;
        boolean cut;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long from = Math.max(0, size - MAX_TAIL_BYTES);
            cut = from > 0;
            ByteBuffer buf = ByteBuffer.allocate((int) (size - from));
            ch.position(from);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read until full or end of file
            }
            bytes = Arrays.copyOf(buf.array(), buf.position());
        } catch (NoSuchFileException e) {
            return List.of();
        }
        String text = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        List<String> all = new ArrayList<>(
                Arrays.asList(EscapeStripper.stripKeepingNewlines(text).split("\n", -1)));
        if (cut && !all.isEmpty()) {
            all.remove(0); // the first line is partial
        }
        while (!all.isEmpty() && all.get(all.size() - 1).isBlank()) {
            all.remove(all.size() - 1);
        }
        return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Keeps the previous boot's console as {@code status.out.prev} and starts a fresh one. */
    static void rotate(Path file) throws IOException {
        if (Files.exists(file)) {
            Files.move(
                    file,
                    file.resolveSibling(file.getFileName() + ".prev"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
