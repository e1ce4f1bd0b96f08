package org.multiverse.scramble.protocol.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.identity.InvalidScrambleIdException;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.keyfile.PrivateFiles;

/**
 * The root Scramble IDs an agent serves, each with the widest scope its sessions may have:
 * a text file, one {@code SCRAMBLE-ID SCOPE} per line, {@code #} comments. A session
 * certificate whose root is not listed is refused as unattributable.
 */
public final class AuthorizedRoots {

    private final Path file;
    private volatile Map<ScrambleId, Scope> roots;

    private AuthorizedRoots(Path file, Map<ScrambleId, Scope> roots) {
        this.file = file;
        this.roots = Map.copyOf(roots);
    }

    /** Loads the list (an absent file is an empty list); malformed lines are errors with file:line. */
    public static AuthorizedRoots load(Path file) throws IOException {
        Map<ScrambleId, Scope> roots = new LinkedHashMap<>();
        if (Files.exists(file)) {
            PrivateFiles.requireOwnerOnly(file, "authorised roots");
            int lineNo = 0;
            for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lineNo++;
                String line = raw.contains("#") ? raw.substring(0, raw.indexOf('#')) : raw;
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\\s+");
                if (f.length != 2) {
                    throw new IOException(file + ":" + lineNo + ": expected 'SCRAMBLE-ID SCOPE'");
                }
                try {
                    roots.put(ScrambleId.parse(f[0]), Scope.parse(f[1]));
                } catch (InvalidScrambleIdException | IllegalArgumentException e) {
                    throw new IOException(file + ":" + lineNo + ": " + e.getMessage());
                }
            }
        }
        return new AuthorizedRoots(file, roots);
    }

    /**
     * Re-reads the file (after {@code authorize} or {@code revoke} from another process); a
     * broken file keeps the list in force and says why.
     */
    public synchronized String reload() {
        try {
            AuthorizedRoots fresh = load(file);
            roots = fresh.roots;
            return "authorised roots reloaded: " + roots.size();
        } catch (IOException e) {
            return "authorised roots reload refused, old list kept: " + e.getMessage();
        }
    }

    /** The widest scope this root's sessions may use, if the root is authorised. */
    public Optional<Scope> scopeOf(ScrambleId root) {
        return Optional.ofNullable(roots.get(root));
    }

    public boolean contains(ScrambleId root) {
        return roots.containsKey(root);
    }

    public Map<ScrambleId, Scope> all() {
        return roots;
    }

    /** Adds or updates a root and writes the file atomically. */
    public synchronized void authorize(ScrambleId root, Scope scope) throws IOException {
        Map<ScrambleId, Scope> next = new LinkedHashMap<>(roots);
        next.put(root, scope);
        write(next);
    }

    /** Removes a root; returns false when it was not listed. */
    public synchronized boolean remove(ScrambleId root) throws IOException {
        if (!roots.containsKey(root)) {
            return false;
        }
        Map<ScrambleId, Scope> next = new LinkedHashMap<>(roots);
        next.remove(root);
        write(next);
        return true;
    }

    private void write(Map<ScrambleId, Scope> next) throws IOException {
        StringBuilder text = new StringBuilder("# Root Scramble IDs this agent serves: SCRAMBLE-ID SCOPE\n");
        next.forEach((id, scope) ->
                text.append(id.text()).append(' ').append(scope.text()).append('\n'));
        PrivateFiles.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
        roots = Map.copyOf(next);
    }
}
