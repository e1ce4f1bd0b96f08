package org.multiverse.scramble.protocol.vectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.multiverse.scramble.suite.cert.CertificateVerifier;
import org.multiverse.scramble.suite.cert.RevocationStatement;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.sign.SignatureContext;

/**
 * Writes {@code session-certificates.json}: certificates issued by {@code SessionKeys.create},
 * the same judged at the edges of their window, with the wrong roots trusted or revoked, altered
 * after signing, and structurally malformed, each with what {@code SessionCertificate.decode} and
 * {@code CertificateVerifier} say.
 */
final class CertificateVectors {

    static final String FILE = "session-certificates.json";

    /** The clock skew the verifier allows on each side of the window. */
    private static final long SKEW = CertificateVerifier.CLOCK_SKEW_ALLOWANCE.toMillis();

    private static final long DAY = Duration.ofDays(1).toMillis();

    /** The longest session a root certifies ({@code SessionKeys.MAX_VALIDITY}). */
    private static final SessionSpec WEEK = new SessionSpec(
            "week",
            FixedInputs.ROOT_SEED,
            Scope.ALL,
            FixedInputs.SESSION_ISSUED_MILLIS,
            SessionKeys.MAX_VALIDITY,
            FixedInputs.counting(0x58),
            FixedInputs.counting(0x78),
            new byte[] {0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58});
    /** The shortest: one millisecond. */
    private static final SessionSpec INSTANT = new SessionSpec(
            "instant",
            FixedInputs.ROOT_SEED,
            Scope.READ_ONLY,
            FixedInputs.SESSION_ISSUED_MILLIS,
            Duration.ofMillis(1),
            FixedInputs.counting(0x28),
            FixedInputs.counting(0x38),
            new byte[] {0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68});

    private final ScrambleId root;
    private final ScrambleId stranger;
    private final byte[] main;
    private final CertificateLayout mainLayout;
    private final long notBefore;
    private final long notAfter;

    private CertificateVectors() {
        try (Identity r = Identity.fromSeed(FixedInputs.ROOT_SEED);
                Identity s = Identity.fromSeed(FixedInputs.STRANGER_SEED)) {
            root = r.id();
            stranger = s.id();
        }
        main = SessionSpec.MAIN.certificate();
        mainLayout = CertificateLayout.read(main);
        notBefore = mainLayout.notBeforeMillis();
        notAfter = mainLayout.notAfterMillis();
    }

    static String generate() {
        return new CertificateVectors().file();
    }

    private String file() {
        VectorFile file = new VectorFile(
                "Scramble session certificate v1",
                List.of(
                        "A session certificate is 186 bytes, big-endian: version(1)=1 || root Ed25519 key(32) || session Ed25519 key(32) ||",
                        "session X25519 key(32) || notBefore millis(8) || notAfter millis(8) || scope(1: 1=all, 2=read-only) || serial(8) ||",
                        "signature(64): the root's Ed25519 signature over ed25519Message = len(ctx) || ctx || signedBytes (the first 122 bytes),",
                        "ctx = \"scramble/v1/session-certificate\".",
                        "expected.decode is SessionCertificate.decode's outcome; expected.verify that of a CertificateVerifier trusting",
                        "exactly verifier.trustedRoots, with verifier.revocations in force, at verifier.nowMillis. The verifier checks, in",
                        "this order: root trusted (UNKNOWN_ROOT), signature (BAD_SIGNATURE), revocation (REVOKED), then the window widened by",
                        "120000 ms of clock skew on each side (NOT_YET_VALID, EXPIRED)."));
        file.note(
                        "Issued",
                        "Issued by SessionKeys.create from the inputs in \"issuance\"; issuing again gives the same bytes.")
                .note("ClockSkew", "Judged at or just past the window widened by the 120 s skew allowance.")
                .note(
                        "Revocation",
                        "A root's revocation statement (\"revoke my sessions with notBefore < T\") is in force.")
                .note("UnknownRoot", "The certifying root is not among the trusted roots.")
                .note("ModifiedSignature", "Bits of the signature were flipped.")
                .note("ModifiedBody", "A signed field was changed after signing.")
                .note("WrongSigner", "Signed by a key other than the root the certificate names.")
                .note(
                        "DomainSeparation",
                        "A signature by the right key over the right bytes, but under another context or none.")
                .note("CheckOrder", "Several things are wrong; the verdict shows which check runs first.")
                .note(
                        "LifetimeAboveIssuerMaximum",
                        "The window is longer than SessionKeys.MAX_VALIDITY (7 days): the issuer refuses to make such a certificate and the verifier refuses it (LIFETIME_TOO_LONG), after the revocation check and before the window.")
                .note(
                        "Malformed",
                        "Structurally invalid: decode refuses it before any signature is checked (re-signed where possible, so only the named defect is wrong).");
        file.set("inputs", inputs());
        issued(file);
        judged(file);
        altered(file);
        malformed(file);
        return file.render();
    }

    private ObjectNode inputs() {
        ObjectNode inputs = VectorJson.object();
        inputs.put("rootSeed", VectorJson.hex(FixedInputs.ROOT_SEED));
        inputs.put("root", root.text());
        inputs.put("strangerSeed", VectorJson.hex(FixedInputs.STRANGER_SEED));
        inputs.put("stranger", stranger.text());
        inputs.put("clockSkewMillis", SKEW);
        inputs.put("signatureContext", SignatureContext.SESSION_CERTIFICATE.text());
        return inputs;
    }

    private void issued(VectorFile file) {
        VectorFile.Group g = file.group(
                "IssuedCertificate",
                "SessionKeys.create(root, scope, validity, clock fixed at issuedMillis, "
                        + "randomness = ed25519Seed || x25519Secret || serialRandom).",
                x -> {});
        issued(g, SessionSpec.MAIN, "scope all, 12 hours, judged an hour after issue", FixedInputs.AGENT_NOW_MILLIS);
        issued(
                g,
                SessionSpec.READ_ONLY,
                "scope read-only, 12 hours, judged an hour after issue",
                FixedInputs.AGENT_NOW_MILLIS);
        issued(g, WEEK, "the longest validity the issuer allows (7 days)", FixedInputs.AGENT_NOW_MILLIS);
        issued(
                g,
                INSTANT,
                "1 ms validity, read-only, judged at notAfter + 120000 ms (the last instant the skew allows)",
                INSTANT.issuedMillis() + INSTANT.validity().toMillis() + SKEW);
    }

    private void issued(VectorFile.Group g, SessionSpec spec, String comment, long now) {
        ObjectNode t = add(g, comment, List.of("Issued"), spec.certificate(), trustingRoot(now));
        t.set("issuance", spec.issuance());
        moveResultLast(t);
    }

    private void judged(VectorFile file) {
        VectorFile.Group g = file.group(
                "VerifierVerdict",
                "The main certificate (scope all, notBefore = issuedMillis) judged by different verifiers.",
                x -> {});
        add(
                g,
                "at notBefore - 120000 ms: the earliest instant the skew allows",
                List.of("ClockSkew"),
                main,
                trustingRoot(notBefore - SKEW));
        add(g, "at notBefore - 120001 ms", List.of("ClockSkew"), main, trustingRoot(notBefore - SKEW - 1));
        add(
                g,
                "at notAfter + 120000 ms: the last instant the skew allows",
                List.of("ClockSkew"),
                main,
                trustingRoot(notAfter + SKEW));
        add(g, "at notAfter + 120001 ms", List.of("ClockSkew"), main, trustingRoot(notAfter + SKEW + 1));
        add(
                g,
                "a verifier that trusts only the stranger",
                List.of("UnknownRoot"),
                main,
                verifier(Set.of(stranger), List.of(), FixedInputs.AGENT_NOW_MILLIS));
        add(
                g,
                "a verifier that trusts no root",
                List.of("UnknownRoot"),
                main,
                verifier(Set.of(), List.of(), FixedInputs.AGENT_NOW_MILLIS));
        add(
                g,
                "the stranger's own session, judged by a verifier trusting the stranger",
                List.of(),
                SessionSpec.STRANGER.certificate(),
                verifier(Set.of(stranger), List.of(), FixedInputs.AGENT_NOW_MILLIS));
        add(
                g,
                "the stranger's own session, judged by a verifier trusting the root",
                List.of("UnknownRoot"),
                SessionSpec.STRANGER.certificate(),
                trustingRoot(FixedInputs.AGENT_NOW_MILLIS));
        add(
                g,
                "revocation cut-off = notBefore: only sessions that started before it are revoked",
                List.of("Revocation"),
                main,
                verifier(
                        Set.of(root),
                        List.of(revocation(FixedInputs.ROOT_SEED, notBefore)),
                        FixedInputs.AGENT_NOW_MILLIS));
        add(
                g,
                "revocation cut-off = notBefore + 1 ms",
                List.of("Revocation"),
                main,
                verifier(
                        Set.of(root),
                        List.of(revocation(FixedInputs.ROOT_SEED, notBefore + 1)),
                        FixedInputs.AGENT_NOW_MILLIS));
        add(
                g,
                "a revocation by another root revokes nothing of this root's",
                List.of("Revocation"),
                main,
                verifier(
                        Set.of(root, stranger),
                        List.of(revocation(FixedInputs.STRANGER_SEED, Long.MAX_VALUE)),
                        FixedInputs.AGENT_NOW_MILLIS));
    }

    private void altered(VectorFile file) {
        VectorFile.Group g = file.group(
                "AlteredCertificate",
                "Certificates changed after signing, or signed wrongly, judged at the agent's \"now\" by a verifier "
                        + "trusting the root.",
                x -> {});
        long now = FixedInputs.AGENT_NOW_MILLIS;
        add(
                g,
                "last signature byte flipped",
                List.of("ModifiedSignature"),
                flip(main, main.length - 1),
                trustingRoot(now));
        add(
                g,
                "first signature byte flipped",
                List.of("ModifiedSignature"),
                flip(main, CertificateLayout.SIGNED_BYTES),
                trustingRoot(now));
        add(
                g,
                "notAfter moved a day later, not re-signed",
                List.of("ModifiedBody"),
                keepingSignature(mainLayout.withWindow(notBefore, notAfter + DAY), signature(main)),
                trustingRoot(now));
        byte[] readOnly = SessionSpec.READ_ONLY.certificate();
        add(
                g,
                "the read-only session's scope byte changed to all, not re-signed",
                List.of("ModifiedBody"),
                keepingSignature(
                        CertificateLayout.read(readOnly).withScopeCode(CertificateLayout.SCOPE_ALL),
                        signature(readOnly)),
                trustingRoot(now));
        add(
                g,
                "names the root but is signed by the stranger",
                List.of("WrongSigner"),
                mainLayout.signedBy(FixedInputs.STRANGER_SEED),
                trustingRoot(now));
        add(
                g,
                "signed by the root under the revocation context",
                List.of("DomainSeparation"),
                mainLayout.encode(SignedMessage.signRaw(
                        FixedInputs.ROOT_SEED,
                        SignedMessage.of(SignatureContext.REVOCATION, mainLayout.signedBytes()))),
                trustingRoot(now));
        add(
                g,
                "signed by the root over the bare 122 bytes, no context",
                List.of("DomainSeparation"),
                mainLayout.encode(SignedMessage.signRaw(FixedInputs.ROOT_SEED, mainLayout.signedBytes())),
                trustingRoot(now));
        add(
                g,
                "unknown root and a flipped signature: the root is checked first",
                List.of("CheckOrder", "UnknownRoot", "ModifiedSignature"),
                flip(SessionSpec.STRANGER.certificate(), CertificateLayout.ENCODED_BYTES - 1),
                trustingRoot(now));
        add(
                g,
                "expired and a flipped signature: the signature is checked first",
                List.of("CheckOrder", "ModifiedSignature"),
                flip(main, main.length - 1),
                trustingRoot(notAfter + DAY));
        add(
                g,
                "expired and revoked: revocation is checked first",
                List.of("CheckOrder", "Revocation"),
                main,
                verifier(Set.of(root), List.of(revocation(FixedInputs.ROOT_SEED, notAfter)), notAfter + DAY));
        add(
                g,
                "a window 1 ms longer than 7 days, properly signed by the root",
                List.of("LifetimeAboveIssuerMaximum"),
                mainLayout
                        .withWindow(notBefore, notBefore + Duration.ofDays(7).toMillis() + 1)
                        .signedBy(FixedInputs.ROOT_SEED),
                trustingRoot(now));
        add(
                g,
                "an 8-day window that ended a day ago: the lifetime is checked before the window",
                List.of("LifetimeAboveIssuerMaximum", "CheckOrder"),
                mainLayout
                        .withWindow(notBefore, notBefore + Duration.ofDays(8).toMillis())
                        .signedBy(FixedInputs.ROOT_SEED),
                trustingRoot(notBefore + Duration.ofDays(9).toMillis()));
        add(
                g,
                "an 8-day window, properly signed by the root",
                List.of("LifetimeAboveIssuerMaximum"),
                mainLayout
                        .withWindow(notBefore, notBefore + Duration.ofDays(8).toMillis())
                        .signedBy(FixedInputs.ROOT_SEED),
                trustingRoot(now));
        add(
                g,
                "a window from Long.MIN_VALUE to Long.MAX_VALUE, properly signed: a lifetime that overflows",
                List.of("LifetimeAboveIssuerMaximum"),
                mainLayout.withWindow(Long.MIN_VALUE, Long.MAX_VALUE).signedBy(FixedInputs.ROOT_SEED),
                trustingRoot(now));
    }

    private void malformed(VectorFile file) {
        VectorFile.Group g = file.group(
                "MalformedCertificate",
                "SessionCertificate.decode refuses these with reason MALFORMED; re-signed by the root unless noted.",
                x -> {});
        long now = FixedInputs.AGENT_NOW_MILLIS;
        add(g, "empty", List.of("Malformed"), new byte[0], trustingRoot(now));
        add(
                g,
                "truncated: the last byte missing (185 bytes)",
                List.of("Malformed"),
                Arrays.copyOf(main, main.length - 1),
                trustingRoot(now));
        add(
                g,
                "oversized: one zero byte appended (187 bytes)",
                List.of("Malformed"),
                Arrays.copyOf(main, main.length + 1),
                trustingRoot(now));
        add(g, "version 0", List.of("Malformed"), signed(mainLayout.withVersion(0)), trustingRoot(now));
        add(g, "version 2", List.of("Malformed"), signed(mainLayout.withVersion(2)), trustingRoot(now));
        add(g, "scope code 0", List.of("Malformed"), signed(mainLayout.withScopeCode(0)), trustingRoot(now));
        add(g, "scope code 3", List.of("Malformed"), signed(mainLayout.withScopeCode(3)), trustingRoot(now));
        add(
                g,
                "notAfter = notBefore",
                List.of("Malformed"),
                signed(mainLayout.withWindow(notBefore, notBefore)),
                trustingRoot(now));
        add(
                g,
                "notAfter before notBefore",
                List.of("Malformed"),
                signed(mainLayout.withWindow(notAfter, notBefore)),
                trustingRoot(now));
        add(
                g,
                "session X25519 key all zero",
                List.of("Malformed"),
                signed(mainLayout.withX25519Key(new byte[32])),
                trustingRoot(now));
        byte[] offCurve = ScrambleIdSpec.offCurveKey();
        add(
                g,
                "session Ed25519 key not a curve point",
                List.of("Malformed"),
                signed(mainLayout.withSigningKey(offCurve)),
                trustingRoot(now));
        add(
                g,
                "root key not a curve point (cannot have signed; the main certificate's signature is kept)",
                List.of("Malformed"),
                keepingSignature(mainLayout.withRootKey(offCurve), signature(main)),
                trustingRoot(now));
    }

    /** Adds a test with everything the bytes show, and the product's verdict as {@code expected}. */
    private static ObjectNode add(
            VectorFile.Group group, String comment, List<String> flags, byte[] certificate, ObjectNode verifier) {
        ObjectNode t = group.test(comment, flags);
        t.put("certificate", VectorJson.hex(certificate));
        if (certificate.length == CertificateLayout.ENCODED_BYTES) {
            CertificateLayout layout = CertificateLayout.read(certificate);
            t.set("fields", layout.describe());
            t.put("signedBytes", VectorJson.hex(layout.signedBytes()));
            t.put("ed25519Message", VectorJson.hex(layout.ed25519Message()));
            t.put("signature", VectorJson.hex(signature(certificate)));
        }
        t.set("verifier", verifier);
        ObjectNode verdict = CertificateVerdict.of(certificate, verifier);
        boolean valid = CertificateVerdict.OK.equals(verdict.path("decode").asText())
                && CertificateVerdict.OK.equals(verdict.path("verify").asText());
        t.put("result", valid ? "valid" : "invalid");
        t.set("expected", verdict);
        return t;
    }

    /** Puts {@code result} and {@code expected} after fields added late, so every test reads the same way. */
    private static void moveResultLast(ObjectNode t) {
        var result = t.remove("result");
        var expected = t.remove("expected");
        t.set("result", result);
        t.set("expected", expected);
    }

    /** A verifier trusting the root alone, no revocations, at {@code now}. */
    private ObjectNode trustingRoot(long now) {
        return verifier(Set.of(root), List.of(), now);
    }

    private static ObjectNode verifier(Set<ScrambleId> trusted, List<RevocationStatement> revocations, long now) {
        return CertificateVerdict.verifier(trusted, revocations, now);
    }

    private static RevocationStatement revocation(byte[] seed, long issuedBeforeMillis) {
        try (Identity id = Identity.fromSeed(seed)) {
            return RevocationStatement.sign(id, issuedBeforeMillis);
        }
    }

    private static byte[] signed(CertificateLayout layout) {
        return layout.signedBy(FixedInputs.ROOT_SEED);
    }

    /** The layout with a signature made for other bytes (so it does not verify). */
    private static byte[] keepingSignature(CertificateLayout layout, byte[] signature) {
        return layout.encode(signature);
    }

    private static byte[] signature(byte[] certificate) {
        return Arrays.copyOfRange(certificate, CertificateLayout.SIGNED_BYTES, CertificateLayout.ENCODED_BYTES);
    }

    private static byte[] flip(byte[] bytes, int index) {
        byte[] out = bytes.clone();
        out[index] ^= 0x01;
        return out;
    }
}
