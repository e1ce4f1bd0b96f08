package org.multiverse.scramble.host.share;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@link PortalDirectories#under(Path)}: one folder per portal, nested by the portal tree. */
final class PortalTree implements PortalDirectories {

    /** Deeper than any portal tree in use ({@code service/router/star} is three). */
    static final int MAX_DEPTH = 8;

    /**
     * One level: lower-case letters and digits, single '.', '_' or '-' between them; so the
     * portal service's domain-form names ({@code firefox.browser.app}) are one level, and no
     * level can be '.', '..' or hidden.
     */
    private static final Pattern ELEMENT = Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*");

    /** The portal service's limit; also keeps socket paths under the portal short. */
    static final int MAX_ELEMENT_CHARS = 63;

    private final Path portalsDir;

    PortalTree(Path portalsDir) {
        if (!portalsDir.isAbsolute()) {
            throw new IllegalArgumentException("portals directory must be absolute: " + portalsDir);
        }
        this.portalsDir = portalsDir;
    }

    @Override
    public Optional<Path> portalDir(String portal) throws ShareException {
        String[] elements = portal == null ? new String[0] : portal.split("/", -1);
        if (portal == null || portal.isEmpty() || elements.length > MAX_DEPTH) {
            throw new ShareException(
                    ShareException.Kind.INVALID_ARGUMENT,
                    "portal name " + Display.quote(portal) + " is empty or deeper than " + MAX_DEPTH + " levels");
        }
        for (String element : elements) {
            if (element.length() > MAX_ELEMENT_CHARS
                    || !ELEMENT.matcher(element).matches()) {
                throw new ShareException(
                        ShareException.Kind.INVALID_ARGUMENT,
                        "portal name " + Display.quote(portal) + " is not a portal name (like"
                                + " firefox.browser.app or application/browser/firefox: lower-case letters and"
                                + " digits, joined by single '.', '_' or '-', levels separated by '/')");
            }
        }
        Path dir = portalsDir.resolve(portal);
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) ? Optional.of(dir) : Optional.empty();
    }

    /** Portals that have a links file; the walk never enters a share (the guest writes there). */
    @Override
    public List<String> portals() throws ShareException {
        if (!Files.isDirectory(portalsDir)) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        try {
            Files.walkFileTree(
                    portalsDir,
                    EnumSet.noneOf(java.nio.file.FileVisitOption.class),
                    MAX_DEPTH + 1,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            if (dir.getFileName() != null
                                    && dir.getFileName().toString().equals("share")
                                    && !dir.equals(portalsDir)) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            if (Files.isRegularFile(dir.resolve(LinkStore.FILE_NAME), LinkOption.NOFOLLOW_LINKS)
                                    && !dir.equals(portalsDir)) {
                                found.add(portalsDir.relativize(dir).toString());
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new ShareException(
                    ShareException.Kind.INTERNAL,
                    "cannot list the portals in " + portalsDir + ": " + e.getMessage(),
                    e);
        }
        Collections.sort(found);
        return List.copyOf(found);
    }
}
