package org.multiverse.scramble.shell;

import org.multiverse.scramble.shell.connect.AgentConnections;
import org.multiverse.scramble.shell.registry.BuildContext;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * An unlocked shell: the session keys (the root key itself is not kept), the links to the
 * agents, and what building commands needs. Closing it forgets the session keys, as
 * {@code id lock} does.
 */
public final class ShellSession implements AutoCloseable {

    private final ScrambleId root;
    private final SessionKeys session;
    private final AgentConnections connections;
    private final BuildContext context;
    private final String label;
    private final AutoCloseable extra;

    /**
     * @param label shown in the prompt beside the short ID ("DEMO" for a throwaway identity), or ""
     * @param extra closed after the links (the demo's in-process agents), or null
     */
    public ShellSession(
            ScrambleId root,
            SessionKeys session,
            AgentConnections connections,
            BuildContext context,
            String label,
            AutoCloseable extra) {
        this.root = root;
        this.session = session;
        this.connections = connections;
        this.context = context;
        this.label = label;
        this.extra = extra;
    }

    public ScrambleId root() {
        return root;
    }

    public SessionKeys session() {
        return session;
    }

    public AgentConnections connections() {
        return connections;
    }

    public BuildContext context() {
        return context;
    }

    public String label() {
        return label;
    }

    @Override
    public void close() {
        connections.close();
        session.destroy();
        if (extra != null) {
            try {
                extra.close();
            } catch (Exception e) {
                // Shutting down: the demo's temporary agents are gone with the process anyway.
            }
        }
    }
}
