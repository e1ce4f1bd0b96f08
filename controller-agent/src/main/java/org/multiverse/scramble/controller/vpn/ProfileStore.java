package org.multiverse.scramble.controller.vpn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * WireGuard profiles kept by the service in {@code STATE/profiles/NAME.conf} (or another
 * directory; directory 0700, files 0600), validated before they are stored and again when loaded, plus the name
 * of the profile in use ({@code STATE/active-profile}) so a restarted service re-applies it.
 */
public final class ProfileStore {
    /** Profile names become file names: short, lower-case, no dots or slashes. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    static final String SUFFIX = ".conf";

    private final Path dir;
    private final Path activeFile;

    public ProfileStore(Path stateDir) throws IOException {
        this(stateDir.resolve("profiles"), stateDir.resolve("active-profile"));
    }

    /**
     * Profiles kept in {@code profileDir} (an operator-provisioned directory; made 0700 because
     * the files hold tunnel private keys), the profile in use recorded in {@code activeFile}.
     */
    public ProfileStore(Path profileDir, Path activeFile) throws IOException {
        this.dir = profileDir;
        this.activeFile = activeFile;
        Files.createDirectories(
                dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /** Throws {@link IllegalArgumentException} if {@code name} is not a valid profile name. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("profile name must match " + NAME.pattern());
        }
        return name;
    }

    /**
     * Validates {@code content} and stores it under {@code name}, replacing any previous version.
     *
     * @throws ProfileFormatException if the content is not a valid profile (nothing is written)
     */
    public void put(String name, String content) throws ProfileFormatException, IOException {
        checkName(name);
        WireGuardProfileParser.parse(name, name + SUFFIX, content).destroy();
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            Files.move(tmp, file(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Loads and validates a stored profile.
     *
     * @throws NoSuchFileException if there is no such profile
     * @throws ProfileFormatException if the stored file no longer validates
     */
    public WireGuardProfile load(String name) throws IOException, ProfileFormatException {
        checkName(name);
        Path file = file(name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(name);
        }
        if (Files.size(file) > WireGuardProfileParser.MAX_BYTES) {
            throw new ProfileFormatException(
                    file.toString(), 0, "profile is larger than " + WireGuardProfileParser.MAX_BYTES + " bytes");
        }
        return WireGuardProfileParser.parse(name, file.toString(), Files.readString(file, StandardCharsets.US_ASCII));
    }

    /** Stored profile names, sorted. */
    public List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length()))
                    .filter(n -> NAME.matcher(n).matches())
                    .sorted()
                    .toList();
        }
    }

    /** The profile recorded as in use, if any. */
    public Optional<String> active() throws IOException {
        if (!Files.isRegularFile(activeFile)) {
            return Optional.empty();
        }
        String name = Files.readString(activeFile, StandardCharsets.US_ASCII).strip();
        return NAME.matcher(name).matches() ? Optional.of(name) : Optional.empty();
    }

    /** Records {@code name} as in use (or clears the record when empty). */
    public void setActive(Optional<String> name) throws IOException {
        if (name.isEmpty()) {
            Files.deleteIfExists(activeFile);
            return;
        }
        Path tmp = activeFile.resolveSibling(".active-profile.tmp");
        Files.writeString(tmp, checkName(name.get()) + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, activeFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Path file(String name) {
        return dir.resolve(name + SUFFIX);
    }
}
