package org.multiverse.scramble.host.agent;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.multiverse.scramble.host.portal.DefinitionException;
import org.multiverse.scramble.host.portal.DefinitionParser;
import org.multiverse.scramble.host.portal.PortalDefinition;
import org.multiverse.scramble.host.portal.PortalException;
import org.multiverse.scramble.host.portal.PortalService;
import org.multiverse.scramble.suite.keyfile.PrivateFiles;

/**
 * The portals a host's configuration declares ({@code --portals /etc/multiverse/portals}): one
 * definition file per portal, {@code NAME.toml}, in the format of {@code portal.toml}. At agent
 * start each file whose portal is not defined yet is defined; a portal already defined keeps its
 * stored definition (a running VM must not change under its owner), and a file that differs from
 * it is reported, with what to do. A file that does not parse stops the agent, naming
 * {@code file:line}: a host that silently lost its User Controller is worse than one that did not
 * start.
 */
final class DeclaredPortals {

    private static final System.Logger LOG = System.getLogger(DeclaredPortals.class.getName());

    /** A configuration folder holds a handful of portals; this bounds a mistake (a wrong folder). */
    static final int MAX_FILES = 256;
    /** A definition is a few hundred bytes. */
    static final long MAX_FILE_BYTES = 64 * 1024;

    private DeclaredPortals() {}

    /**
     * A declaration decides which VMs run and which of them may talk to the host agent: whoever
     * can write it could declare a controller portal with an agent channel. As sshd's StrictModes.
     */
    private static void requireNotWritableByOthers(Path path, String fix) throws IOException {
        if (PrivateFiles.writableByOthers(path)) {
            throw new IllegalArgumentException(
                    path + ": group or others may write it, so anyone could declare a" + " portal; run: " + fix + path);
        }
    }

    /**
     * Defines the declared portals that are not defined yet.
     *
     * @return the names newly defined
     * @throws IllegalArgumentException naming the file and line when a declaration is wrong
     */
    static List<String> load(Path dir, PortalService portals) throws IOException, PortalException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--portals " + dir + " is not a directory");
        }
        requireNotWritableByOthers(dir, "chmod go-w ");
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.toml")) {
            for (Path f : s) {
                files.add(f);
                if (files.size() > MAX_FILES) {
                    throw new IllegalArgumentException("--portals " + dir + " holds more than " + MAX_FILES
                            + " definitions; is it the right folder?");
                }
            }
        }
        files.sort(null);
        List<PortalDefinition> declared = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.size(f) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(f + ": not a regular file of at most " + MAX_FILE_BYTES + " bytes");
            }
            requireNotWritableByOthers(f, "chmod 600 ");
            String text;
            try {
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (CharacterCodingException e) {
                // Without this the agent stopped with "Input length = 1", naming no file.
                throw new IllegalArgumentException(f + ": not UTF-8 text");
            }
            PortalDefinition d;
            try {
                d = DefinitionParser.parse(f.toString(), text);
            } catch (DefinitionException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            String expected = f.getFileName().toString().replaceFirst("\\.toml$", "");
            if (!d.name().equals(expected)) {
                throw new IllegalArgumentException(
                        f + ": declares portal " + d.name() + "; name the file " + d.name() + ".toml");
            }
            declared.add(d);
        }
        List<String> defined = new ArrayList<>();
        for (PortalDefinition d : declared) {
            PortalDefinition stored;
            try {
                stored = portals.show(d.name()).definition();
            } catch (PortalException notDefined) {
                portals.defineFromToml(d.toToml());
                defined.add(d.name());
                LOG.log(Level.INFO, "portal {0} defined from {1}", d.name(), dir.resolve(d.name() + ".toml"));
                continue;
            }
            if (!stored.equals(d)) {
                LOG.log(
                        Level.WARNING,
                        "portal {0} is defined already and differs from {1}; the stored definition"
                                + " stays (stop it and run portal undefine {0} to take the file''s)",
                        d.name(),
                        dir.resolve(d.name() + ".toml"));
            }
        }
        return defined;
    }
}
