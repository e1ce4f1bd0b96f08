package org.multiverse.scramble.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * A session as the vector files use it: unlocked by {@code SessionKeys.create} from a root seed,
 * a scope, a fixed clock and a validity, with scripted "randomness" (the session's Ed25519 seed,
 * its X25519 secret, then 8 bytes for the serial, in the order {@code create} draws them). The
 * same spec always gives the same certificate.
 *
 * @param name how the files refer to the session
 * @param rootSeed the seed of the root that certifies it
 * @param scope the certificate's scope
 * @param issuedMillis the unlocking clock, which becomes notBefore
 * @param validity notAfter - notBefore
 * @param ed25519Seed the session's Ed25519 seed (signs envelopes)
 * @param x25519Secret the session's X25519 secret (opens sealed replies)
 * @param serialBytes the 8 bytes {@code create} draws for the serial (big-endian; the low half
 *     must not have its top bit set, or {@code Random.nextLong} would carry into the high half)
 */
record SessionSpec(
        String name,
        byte[] rootSeed,
        Scope scope,
        long issuedMillis,
        Duration validity,
        byte[] ed25519Seed,
        byte[] x25519Secret,
        byte[] serialBytes) {

    private static final Duration DAY_SHIFT = Duration.ofHours(12);

    /** The everyday session: scope {@code all}, unlocked an hour before the agent's "now", 12 hours. */
    static final SessionSpec MAIN = new SessionSpec(
            "main",
            FixedInputs.ROOT_SEED,
            Scope.ALL,
            FixedInputs.SESSION_ISSUED_MILLIS,
            DAY_SHIFT,
            FixedInputs.counting(0x40),
            FixedInputs.counting(0x60),
            serial(0x01));
    /** The same root's read-only session. */
    static final SessionSpec READ_ONLY = new SessionSpec(
            "readOnly",
            FixedInputs.ROOT_SEED,
            Scope.READ_ONLY,
            FixedInputs.SESSION_ISSUED_MILLIS,
            DAY_SHIFT,
            FixedInputs.counting(0x80),
            FixedInputs.counting(0xa0),
            serial(0x11));
    /** A session certified by a root the agent does not authorise. */
    static final SessionSpec STRANGER = new SessionSpec(
            "stranger",
            FixedInputs.STRANGER_SEED,
            Scope.ALL,
            FixedInputs.SESSION_ISSUED_MILLIS,
            DAY_SHIFT,
            FixedInputs.counting(0xe0),
            FixedInputs.counting(0x08),
            serial(0x21));
    /** The root's session of yesterday: expired an hour before the agent's "now". */
    static final SessionSpec EXPIRED = new SessionSpec(
            "expired",
            FixedInputs.ROOT_SEED,
            Scope.ALL,
            FixedInputs.SESSION_ISSUED_MILLIS - DAY_SHIFT.toMillis(),
            DAY_SHIFT,
            FixedInputs.counting(0x48),
            FixedInputs.counting(0x68),
            serial(0x31));
    /** A session whose notBefore is an hour after the agent's "now" (a shell clock ahead). */
    static final SessionSpec NOT_YET_VALID = new SessionSpec(
            "notYetValid",
            FixedInputs.ROOT_SEED,
            Scope.ALL,
            FixedInputs.AGENT_NOW_MILLIS + Duration.ofHours(1).toMillis(),
            DAY_SHIFT,
            FixedInputs.counting(0x50),
            FixedInputs.counting(0x70),
            serial(0x41));

    /** Unlocks the session with the real {@code SessionKeys.create}; the caller closes it. */
    SessionKeys create() {
        ScriptedRandom random = new ScriptedRandom(ed25519Seed, x25519Secret, serialBytes);
        try (Identity root = Identity.fromSeed(rootSeed)) {
            SessionKeys keys = SessionKeys.create(
                    root, scope, validity, Clock.fixed(Instant.ofEpochMilli(issuedMillis), ZoneOffset.UTC), random);
            if (!random.exhausted()) {
                keys.close();
                throw new IllegalStateException("SessionKeys.create drew less randomness than documented");
            }
            return keys;
        }
    }

    /** The certificate's encoding. */
    byte[] certificate() {
        try (SessionKeys keys = create()) {
            return keys.certificate().encode();
        }
    }

    /** How the session was made: the inputs of {@code SessionKeys.create}. */
    ObjectNode issuance() {
        ObjectNode node = VectorJson.object();
        node.put("rootSeed", VectorJson.hex(rootSeed));
        node.put("scope", scope.text());
        node.put("issuedMillis", issuedMillis);
        node.put("validityMillis", validity.toMillis());
        node.put("ed25519Seed", VectorJson.hex(ed25519Seed));
        node.put("x25519Secret", VectorJson.hex(x25519Secret));
        node.put("serialRandom", VectorJson.hex(serialBytes));
        return node;
    }

    /** How the session was made and what came out, for a file's {@code sessions} table. */
    ObjectNode describe() {
        try (SessionKeys keys = create();
                Identity root = Identity.fromSeed(rootSeed)) {
            ObjectNode node = issuance();
            node.put("root", root.id().text());
            node.put("signingKey", VectorJson.hex(keys.certificate().sessionSigningKey()));
            node.put("x25519Key", VectorJson.hex(keys.certificate().sessionX25519Key()));
            node.put("certificate", VectorJson.hex(keys.certificate().encode()));
            return node;
        }
    }

    /** Unlocks the session described by {@link #issuance()} output, for the checks. */
    static SessionKeys create(JsonNode issuance) {
        return new SessionSpec(
                        "fromJson",
                        VectorJson.bytes(issuance, "rootSeed"),
                        Scope.parse(issuance.get("scope").asText()),
                        issuance.get("issuedMillis").asLong(),
                        Duration.ofMillis(issuance.get("validityMillis").asLong()),
                        VectorJson.bytes(issuance, "ed25519Seed"),
                        VectorJson.bytes(issuance, "x25519Secret"),
                        VectorJson.bytes(issuance, "serialRandom"))
                .create();
    }

    /** Eight counting bytes from {@code first}; the low half stays below 0x80 for first &lt; 0x78. */
    private static byte[] serial(int first) {
        byte[] out = new byte[8];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (first + i);
        }
        return out;
    }
}
