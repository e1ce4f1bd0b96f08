package org.multiverse.scramble.host.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.multiverse.scramble.host.share.HostPaths;
import org.multiverse.scramble.protocol.agent.CommandException;
import org.multiverse.scramble.protocol.v1.ErrorCode;

/**
 * The host folders the policy rule that allowed a {@code share.link} names in its
 * {@code roots=} option (colon-separated). The agent's own {@code --share-root}s are enforced
 * by the share service; a link must lie under a root of both. A rule without {@code roots=}
 * allows no folder at all: default deny.
 */
final class PolicyRoots {

    /** The policy option naming the roots. */
    static final String OPTION = "roots";

    private final String text;
    private final List<Path> roots;

    private PolicyRoots(String text, List<Path> roots) {
        this.text = text;
        this.roots = roots;
    }

    /**
     * Reads the allowing rule's options. Roots that do not exist are left out (nothing can be
     * under them); the others are canonicalised, so a symlinked root means its target.
     *
     * @throws CommandException PERMISSION when the rule names no usable root
     */
    static PolicyRoots from(Map<String, String> policyOptions) throws CommandException {
        String text = policyOptions.get(OPTION);
        if (text == null || text.isBlank()) {
            throw new CommandException(
                    ErrorCode.PERMISSION,
                    "the policy rule that allows share.link names no roots=," + " so no host folder may be linked");
        }
        List<Path> roots = new ArrayList<>();
        for (String part : text.split(":")) {
            if (part.isEmpty() || part.charAt(0) != '/') {
                continue;
            }
            try {
                roots.add(Path.of(part).toRealPath());
            } catch (IOException | java.nio.file.InvalidPathException e) {
                // a root that is not there (yet) allows nothing
            }
        }
        if (roots.isEmpty()) {
            throw new CommandException(
                    ErrorCode.PERMISSION,
                    "none of the policy's share roots (" + text
                            + ") exists on this host, so no host folder may be linked");
        }
        return new PolicyRoots(text, List.copyOf(roots));
    }

    /** Whether a canonical path lies under one of the roots. */
    boolean allows(Path canonical) {
        return roots.stream().anyMatch(canonical::startsWith);
    }

    /**
     * Refuses a host path that, canonicalised, is not under the policy's roots. Paths the share
     * service would refuse anyway (relative, with {@code ..}, missing) are left to it, so the
     * person gets its specific message.
     *
     * @throws CommandException PERMISSION
     */
    void precheck(String hostPath) throws CommandException {
        if (hostPath.isEmpty()
                || hostPath.charAt(0) != '/'
                || hostPath.indexOf('\0') >= 0
                || hostPath.length() > MAX_PATH_CHARS
                || List.of(hostPath.split("/")).contains("..")) {
            return;
        }
        Optional<HostPaths.Resolution> resolved;
        try {
            resolved = HostPaths.resolve(Path.of(hostPath).normalize());
        } catch (java.nio.file.InvalidPathException e) {
            return;
        }
        // Missing, existing and symlinked-out paths outside the roots get the same refusal.
        if (resolved.isEmpty() || !allows(resolved.get().real())) {
            throw refusal(hostPath, resolved.map(r -> r.real().toString()).orElse("a dangling symbolic link"));
        }
    }

    /**
     * The refusal of {@code hostPath}: the rule it breaks, never where it leads on the host
     * ({@code really}, which goes to the agent's log only).
     */
    CommandException refusal(String hostPath, Object really) {
        String shown = hostPath.replaceAll("\\p{Cntrl}", "?");
        LOG.log(
                System.Logger.Level.INFO,
                "share link refused by the policy: host path {0} leads to {1}",
                shown,
                really);
        return new CommandException(
                ErrorCode.PERMISSION,
                "host path " + shown + " is not under a root the policy allows for share.link once symbolic links"
                        + " are followed (" + text + ")");
    }

    private static final System.Logger LOG = System.getLogger(PolicyRoots.class.getName());

    /** PATH_MAX: the share service refuses longer paths with its own message. */
    static final int MAX_PATH_CHARS = 4096;
}
