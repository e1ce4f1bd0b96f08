package org.multiverse.scramble.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.SessionClient;
import org.multiverse.scramble.protocol.testkit.AgentTestKit;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionCertificate;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.sign.SignatureContext;

/** Issue 14: an agent refuses a session its root certified for longer than it accepts. */
class SessionLifetimeTest {

    /** Offsets in the certificate encoding (SPEC §6.1). */
    private static final int NOT_AFTER_OFFSET = 105;

    private static final int SIGNED_BYTES = 122;

    @TempDir
    Path tmp;

    /**
     * Session keys whose certificate {@code root} really signed for {@code lifetime} from now:
     * what a root key misused by another issuer could make ({@code SessionKeys.create} refuses).
     */
    static SessionKeys certifiedFor(Identity root, Duration lifetime) throws Exception {
        try (SessionKeys base =
                SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom())) {
            byte[] cert = base.certificate().encode();
            ByteBuffer.wrap(cert).putLong(NOT_AFTER_OFFSET, base.certificate().notBeforeMillis() + lifetime.toMillis());
            byte[] signature = root.sign(SignatureContext.SESSION_CERTIFICATE, Arrays.copyOf(cert, SIGNED_BYTES));
            System.arraycopy(signature, 0, cert, SIGNED_BYTES, signature.length);
            byte[] secret = base.exportSecret();
            try {
                return SessionKeys.restore(secret, SessionCertificate.decode(cert));
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    /** A ping signed by {@code keys}, over a new link to the kit's agent. */
    private static CommandOutcome pingWith(AgentTestKit kit, SessionKeys keys) throws Exception {
        TransportUri uri = TransportUri.parse(kit.listenUri());
        AgentClient link = AgentClient.start(() -> Transports.connect(uri), frame -> {}, ClientSettings.DEFAULTS);
        try (SessionClient client = new SessionClient(keys, link, Clock.systemUTC())) {
            return client.send(AgentHarness.ping(), kit.core().id(), "", Duration.ofSeconds(10))
                    .get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHundredYearSessionIsRefusedSealedWithItsOwnCodeAndAudited() throws Exception {
        try (AgentTestKit kit =
                        AgentTestKit.builder("lifetime", tmp.resolve("state")).start();
                SessionKeys century = certifiedFor(kit.root(), Duration.ofDays(36_525))) {
            CommandOutcome.Failed f = assertInstanceOf(CommandOutcome.Failed.class, pingWith(kit, century));
            assertEquals(ErrorCode.CERTIFICATE_LIFETIME_TOO_LONG, f.error().getCode());
            assertEquals(14, f.error().getCodeValue());
            assertTrue(f.isRefusal(), "an authentication-class refusal");
            assertTrue(
                    f.error().getMessage().contains("longer than the 7 days"),
                    f.error().getMessage());
            assertEquals("CERTIFICATE_LIFETIME_TOO_LONG", kit.lastAudit().result());
            kit.ok(AgentHarness.ping()); // the person's ordinary session is still served
        }
    }

    @Test
    void aWeekIsServedByDefaultAndAnAgentMayAcceptLess() throws Exception {
        try (AgentTestKit kit =
                        AgentTestKit.builder("lifetime", tmp.resolve("week")).start();
                SessionKeys week = certifiedFor(kit.root(), Duration.ofDays(7))) {
            assertInstanceOf(CommandOutcome.Ok.class, pingWith(kit, week));
        }
        try (AgentTestKit kit = AgentTestKit.builder("lifetime", tmp.resolve("short"))
                        .maxSessionLifetime(Duration.ofHours(1))
                        .start();
                SessionKeys twoHours = certifiedFor(kit.root(), Duration.ofHours(2))) {
            CommandOutcome.Failed f = assertInstanceOf(CommandOutcome.Failed.class, pingWith(kit, twoHours));
            assertEquals(ErrorCode.CERTIFICATE_LIFETIME_TOO_LONG, f.error().getCode());
            assertTrue(
                    f.error().getMessage().contains("certified for 2 h, longer than the 1 h"),
                    f.error().getMessage());
            kit.ok(AgentHarness.ping()); // the kit's own one-hour session
        }
    }
}
