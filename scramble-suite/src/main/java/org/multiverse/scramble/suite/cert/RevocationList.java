package org.multiverse.scramble.suite.cert;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.multiverse.scramble.suite.cert.CertificateException.Reason;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * The revocations in force, one per root: the statement with the latest
 * cut-off wins (an older statement can never shorten a newer one, so replaying
 * an old revocation changes nothing). Thread-safe.
 */
public final class RevocationList {

    private final Map<ScrambleId, RevocationStatement> byRoot = new ConcurrentHashMap<>();

    /**
     * Adds a statement after checking its signature.
     *
     * @return true if it moved that root's cut-off later, false if an equal or
     *         later cut-off was already in force
     * @throws CertificateException BAD_SIGNATURE if the statement does not verify
     */
    public boolean add(RevocationStatement statement) throws CertificateException {
        Objects.requireNonNull(statement, "statement");
        if (!statement.verify()) {
            throw new CertificateException(
                    Reason.BAD_SIGNATURE,
                    "revocation statement for " + statement.root().shortForm() + " is not signed by that root");
        }
        synchronized (byRoot) {
            RevocationStatement old = byRoot.get(statement.root());
            if (old != null && old.issuedBeforeMillis() >= statement.issuedBeforeMillis()) {
                return false;
            }
            byRoot.put(statement.root(), statement);
            return true;
        }
    }

    /** True if a statement in force revokes {@code certificate}. */
    public boolean isRevoked(SessionCertificate certificate) {
        RevocationStatement s = byRoot.get(certificate.root());
        return s != null && s.revokes(certificate);
    }

    /** The statement in force for {@code root}, if any. */
    public Optional<RevocationStatement> statementFor(ScrambleId root) {
        return Optional.ofNullable(byRoot.get(root));
    }

    /** Every statement in force, for persisting. */
    public List<RevocationStatement> statements() {
        return List.copyOf(byRoot.values());
    }
}
