package org.multiverse.scramble.host.share;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A portal's links, persisted in {@value #FILE_NAME} in the portal's state directory (never
 * in the share, where the guest could edit it). One link per line, tab-separated:
 * {@code link NAME ro|rw HOST-PATH}; lines starting with {@code #} are comments. Tabs cannot
 * occur in names or host paths (both refuse control characters), so the format is
 * unambiguous. Saving writes a temporary file, fsyncs it, renames it over the old one and
 * fsyncs the directory, so a crash leaves either the old list or the new one.
 */
final class LinkStore {

    static final String FILE_NAME = "share-links";

    /** Each link is a mount; a bounded number keeps the mount table and the fstab small. */
    static final int MAX_LINKS = 64;

    /** 64 links of at most 4096-character paths, with room to spare. */
    static final int MAX_FILE_BYTES = 512 * 1024;

    private static final String HEADER =
            "# Multiverse share links v1: written by the host agent, do not edit while it runs\n";
    private static final String TEMPORARY_SUFFIX = ".tmp";

    private LinkStore() {}

    /** The links of the portal whose state directory is {@code portalDir}; none if no file. */
    static List<ShareLink> load(Path portalDir) throws ShareException {
        Path file = portalDir.resolve(FILE_NAME);
        byte[] bytes;
        try {
            if (Files.isSymbolicLink(file)) {
                throw corrupt(file, "it is a symbolic link");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw corrupt(file, "it is " + size + " bytes, over the " + MAX_FILE_BYTES + " byte limit");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new ShareException(ShareException.Kind.INTERNAL, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(file, bytes);
    }

    /** Parses the file's bytes; {@code file} only names it in errors. */
    static List<ShareLink> parse(Path file, byte[] bytes) throws ShareException {
        if (bytes.length > MAX_FILE_BYTES) {
            throw corrupt(file, "it is " + bytes.length + " bytes, over the " + MAX_FILE_BYTES + " byte limit");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw corrupt(file, "it is not UTF-8");
        }
        List<ShareLink> links = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            if (fields.length != 4 || !fields[0].equals("link")) {
                throw corrupt(file, "line " + lineNumber + " is not 'link<TAB>NAME<TAB>ro|rw<TAB>PATH'");
            }
            String name;
            try {
                name = LinkName.check(fields[1]);
            } catch (ShareException e) {
                throw corrupt(file, "line " + lineNumber + ": " + e.getMessage());
            }
            boolean readOnly = switch (fields[2]) {
                case "ro" -> true;
                case "rw" -> false;
                default ->
                    throw corrupt(
                            file,
                            "line " + lineNumber + " has mode " + Display.quote(fields[2]) + " instead of ro or rw");
            };
            String path = fields[3];
            if (!path.startsWith("/")
                    || path.chars().anyMatch(Character::isISOControl)
                    || path.length() > HostPathPolicy.MAX_PATH_CHARS) {
                throw corrupt(file, "line " + lineNumber + " has an unusable host path " + Display.quote(path));
            }
            if (!names.add(name)) {
                throw corrupt(file, "line " + lineNumber + " repeats the link name " + name);
            }
            if (links.size() == MAX_LINKS) {
                throw corrupt(file, "it lists more than " + MAX_LINKS + " links");
            }
            links.add(new ShareLink(name, Path.of(path), readOnly));
        }
        return List.copyOf(links);
    }

    /** Replaces the portal's list with {@code links}, durably. */
    static void save(Path portalDir, List<ShareLink> links) throws ShareException {
        Path file = portalDir.resolve(FILE_NAME);
        Path temporary = portalDir.resolve(FILE_NAME + TEMPORARY_SUFFIX);
        StringBuilder text = new StringBuilder(HEADER);
        for (ShareLink link : links) {
            text.append("link\t")
                    .append(link.name())
                    .append('\t')
                    .append(link.readOnly() ? "ro" : "rw")
                    .append('\t')
                    .append(link.hostPath())
                    .append('\n');
        }
        try {
            Files.deleteIfExists(temporary);
            try (FileChannel channel = FileChannel.open(
                    temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel directory = FileChannel.open(portalDir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new ShareException(
                    ShareException.Kind.INTERNAL, "cannot save the links of " + portalDir + ": " + e.getMessage(), e);
        }
    }

    private static ShareException corrupt(Path file, String why) {
        return new ShareException(ShareException.Kind.INTERNAL, "the links file " + file + " is unusable: " + why);
    }
}
