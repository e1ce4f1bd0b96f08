package org.multiverse.scramble.suite.cert;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.multiverse.scramble.suite.identity.Identity;

/** Deterministic identities and a fixed clock for certificate tests. */
final class CertificateFixtures {

    static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private CertificateFixtures() {}

    static Identity identity(long seed) {
        byte[] s = new byte[32];
        new Random(seed).nextBytes(s);
        return Identity.fromSeed(s);
    }

    static SessionKeys session(Identity root, Scope scope, Duration validity) {
        return SessionKeys.create(root, scope, validity, CLOCK, new SecureRandom());
    }
}
