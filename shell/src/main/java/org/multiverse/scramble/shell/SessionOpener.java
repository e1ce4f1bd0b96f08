package org.multiverse.scramble.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.shell.connect.AgentConfig;
import org.multiverse.scramble.shell.connect.AgentConnections;
import org.multiverse.scramble.shell.connect.AuditWitnesses;
import org.multiverse.scramble.shell.connect.Enrolment;
import org.multiverse.scramble.shell.connect.PendingRevocations;
import org.multiverse.scramble.shell.identity.IdentityStore;
import org.multiverse.scramble.shell.identity.PassphraseSource;
import org.multiverse.scramble.shell.identity.RootKeyContext;
import org.multiverse.scramble.shell.identity.SessionFile;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.pin.PinFile;
import org.multiverse.scramble.suite.pin.PinnedAgents;

/**
 * Unlocks the person's identity and opens a session: the root key signs a session certificate
 * (12 hours, {@link SessionKeys#DEFAULT_VALIDITY}) and is closed at once; the session key signs
 * everything after that.
 */
public final class SessionOpener {

    /** The audit witnesses (SPEC §13.4), kept beside the pinned agents. */
    static final String WITNESS_FILE = "audit_witnesses";

    private final IdentityStore store;
    private final AgentConfig config;
    private final Path knownAgents;
    private final Clock clock;
    private final PrintStream err;

    public SessionOpener(IdentityStore store, AgentConfig config, Path knownAgents, Clock clock, PrintStream err) {
        this.store = store;
        this.config = config;
        this.knownAgents = knownAgents;
        this.clock = clock;
        this.err = err;
    }

    /**
     * @param confirm asks the person to pin a new agent; null in scripts (then only {@code --trust} pins)
     */
    public ShellSession open(PassphraseSource passphrases, Enrolment.Confirm confirm) throws ShellFailure {
        requireAgents();
        PinFile<ScrambleId> pins = openPins(knownAgents);
        SessionKeys session;
        try (Identity root = store.unlock(passphrases)) {
            session = SessionKeys.create(root, Scope.ALL, SessionKeys.DEFAULT_VALIDITY, clock, new SecureRandom());
        }
        return connect(pins, session, passphrases, confirm);
    }

    /**
     * Opens the session handed over in {@code sessionFile} ({@code --session}): no passphrase and
     * no key file, only the {@code .pub} beside it, whose root must have certified the session.
     *
     * @param passphrases only for the rare command the root itself signs ({@code agent revoke-sessions})
     */
    public ShellSession openHandedOver(Path sessionFile, PassphraseSource passphrases, Enrolment.Confirm confirm)
            throws ShellFailure {
        requireAgents();
        ScrambleId root = store.publicId()
                .orElseThrow(() -> ShellFailure.refused("--session needs your Scramble "
                        + "ID to check the session against, and " + store.publicFile() + " is missing; run "
                        + "scramble-shell id show once with the key file (or give --keyfile)"));
        PinFile<ScrambleId> pins = openPins(knownAgents);
        return connect(pins, SessionFile.read(sessionFile, root, clock), passphrases, confirm);
    }

    private void requireAgents() throws ShellFailure {
        if (config.isEmpty()) {
            throw ShellFailure.usage("no agents configured: give --agent host=URI (or [agents] in shell.toml)");
        }
    }

    private ShellSession connect(
            PinFile<ScrambleId> pins, SessionKeys session, PassphraseSource passphrases, Enrolment.Confirm confirm)
            throws ShellFailure {
        AuditWitnesses witnesses;
        try {
            witnesses = AuditWitnesses.open(knownAgents.toAbsolutePath().resolveSibling(WITNESS_FILE), clock);
        } catch (IOException e) {
            throw ShellFailure.refused(e.getMessage());
        }
        Enrolment enrolment = new Enrolment(pins, config.trusted(), confirm, err);
        AgentConnections connections = new AgentConnections(config, session, enrolment, clock, ClientSettings.DEFAULTS);
        // Beside the pinned agents: which agents still owe a revocation the root signed.
        connections.keepPendingRevocations(
                new PendingRevocations(knownAgents.toAbsolutePath().resolveSibling("pending_revocations")),
                err::println);
        connections.useWitnesses(witnesses);
        return new ShellSession(
                session.certificate().root(),
                session,
                connections,
                RootKeyContext.fromStore(clock, store, passphrases),
                "",
                null);
    }

    /** Opens the pin file, creating its directory (0700) when needed. */
    static PinFile<ScrambleId> openPins(Path file) throws ShellFailure {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            return PinnedAgents.open(file);
        } catch (IOException e) {
            throw ShellFailure.refused(e.getMessage());
        }
    }
}
