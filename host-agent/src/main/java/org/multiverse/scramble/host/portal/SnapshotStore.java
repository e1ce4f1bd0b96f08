package org.multiverse.scramble.host.portal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "Time dilation": earlier disk states of a portal, kept as copies of its qcow2 overlay in
 * {@code PORTAL/snapshots/SEQ-TAG.qcow2}. An overlay holds only what the guest changed
 * over the read-only base, so a copy is small and is a complete disk state together with
 * the base. Reverting copies a snapshot back as the overlay (a new file) and boots it.
 * The sequence number orders snapshots without trusting file times; only the newest
 * {@code retention} are kept.
 */
final class SnapshotStore {

    private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern FILE = Pattern.compile("([0-9]{6,19})-([a-z0-9][a-z0-9-]{0,62})\\.qcow2");

    private final Path dir;

    SnapshotStore(Path dir) {
        this.dir = dir;
    }

    static void validateTag(String tag) throws PortalException {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new PortalException(
                    PortalException.Kind.INVALID_ARGUMENT,
                    "snapshot tag " + Printable.quote(tag)
                            + " must be 1 to 63 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }
    }

    /** Kept snapshots, oldest first. */
    List<SnapshotInfo> list() throws IOException {
        List<SnapshotInfo> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.qcow2")) {
            for (Path f : files) {
                Matcher m = FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    out.add(new SnapshotInfo(
                            m.group(2),
                            Long.parseLong(m.group(1)),
                            a.lastModifiedTime().toInstant(),
                            a.size()));
                }
            }
        }
        out.sort(Comparator.comparingLong(SnapshotInfo::sequence));
        return out;
    }

    Optional<Path> find(String tag) throws IOException {
        for (SnapshotInfo s : list()) {
            if (s.tag().equals(tag)) {
                return Optional.of(file(s.sequence(), s.tag()));
            }
        }
        return Optional.empty();
    }

    /** Copies the overlay as a new snapshot, then keeps only the newest {@code retention}. */
    SnapshotInfo take(String tag, Path overlay, int retention) throws IOException {
        Files.createDirectories(dir);
        List<SnapshotInfo> existing = list();
        long seq = existing.isEmpty() ? 1 : existing.get(existing.size() - 1).sequence() + 1;
        Path target = file(seq, tag);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        Files.copy(overlay, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        List<SnapshotInfo> now = list();
        for (int i = 0; i < now.size() - retention; i++) {
            Files.deleteIfExists(file(now.get(i).sequence(), now.get(i).tag()));
        }
        return list().stream()
                .filter(s -> s.sequence() == seq)
                .findFirst()
                .orElseThrow(() -> new IOException("snapshot " + tag + " vanished right after it was taken"));
    }

    /** Deletes every snapshot and the folder (on undefine). */
    void deleteAll() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(f);
                }
            }
        }
        Files.delete(dir);
    }

    private Path file(long seq, String tag) {
        return dir.resolve(String.format("%06d-%s.qcow2", seq, tag));
    }
}
