package org.multiverse.scramble.host.share;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a host path a sender named really leads, as far as it exists: what a refusal may be
 * based on without telling the sender what exists outside the folders they may link. A path
 * outside them, existing or not, or leading out through a symbolic link, must get one and the
 * same refusal; only under an allowed root may a message say "does not exist".
 */
public final class HostPaths {

    private HostPaths() {}

    /**
     * How far a path resolves.
     *
     * @param real the canonical form of the path, or of its deepest ancestor that exists
     * @param whole whether {@code real} is the whole path's (it exists)
     */
    public record Resolution(Path real, boolean whole) {}

    /**
     * Resolves {@code given} (absolute, normalised) as far as it exists.
     *
     * @return the resolution; empty when the first missing component is a dangling symbolic
     *     link (it leads somewhere unknown, so nothing may be said about it)
     */
    public static Optional<Resolution> resolve(Path given) {
        for (Path p = given; p != null; p = p.getParent()) {
            Path real;
            try {
                real = p.toRealPath();
            } catch (IOException | SecurityException e) {
                continue; // missing, unreadable or a loop: ask the parent
            }
            if (p.equals(given)) {
                return Optional.of(new Resolution(real, true));
            }
            Path firstMissing = p.resolve(given.getName(p.getNameCount()));
            if (Files.isSymbolicLink(firstMissing)) {
                return Optional.empty();
            }
            return Optional.of(new Resolution(real, false));
        }
        return Optional.empty();
    }
}
