package org.multiverse.scramble.protocol.vectors;

import static org.multiverse.scramble.protocol.vectors.EnvelopeCase.of;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.PortalStart;
import org.multiverse.scramble.protocol.v1.RevokeSessions;
import org.multiverse.scramble.protocol.v1.ShareList;
import org.multiverse.scramble.suite.cert.RevocationStatement;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.replay.FreshnessWindow;
import org.multiverse.scramble.suite.replay.SlidingWindow;
import org.multiverse.scramble.suite.sign.SignatureContext;

/**
 * The envelope vectors, by group. Each case says how its envelopes are made; what the agent does
 * with them is not written here but observed by the generator. To add a case, add one line to a
 * group (or a new group in {@link #groups()}); keep request id numbers unique within a case.
 */
final class EnvelopeCases {

    /** A group of cases. */
    record Group(String type, String description, List<EnvelopeCase> cases) {}

    private static final long NOW = FixedInputs.AGENT_NOW_MILLIS;
    private static final long MAX_AGE = FreshnessWindow.DEFAULT_MAX_AGE.toMillis();
    private static final long MAX_AHEAD = FreshnessWindow.DEFAULT_MAX_AHEAD.toMillis();
    /** A sequence number far enough up that the window's lower edge is above 1. */
    private static final long HIGH_SEQUENCE = 2 * SlidingWindow.WINDOW_SIZE;

    private EnvelopeCases() {}

    static List<Group> groups() {
        return List.of(accepted(), malformed(), unattributable(), sealedRefusals(), replay());
    }

    private static Group accepted() {
        return new Group(
                "Accepted",
                "Authentic, fresh, new and allowed: the agent runs the command and seals its result.",
                List.of(
                        of("agent.ping from the main session", List.of("Valid"), main(1)),
                        of("agent.ping from the read-only session", List.of("Valid"), draft(SessionSpec.READ_ONLY, 1)),
                        of(
                                "the largest sequence number, 2^64 - 1 (uint64, unsigned in the signing bytes)",
                                List.of("Valid", "EdgeValue"),
                                main(1).sequence(-1L)),
                        of(
                                "timestamp exactly 120000 ms behind the agent's clock (the oldest fresh one)",
                                List.of("Valid", "Freshness"),
                                main(1).timestamp(NOW - MAX_AGE)),
                        of(
                                "timestamp exactly 30000 ms ahead of the agent's clock (the newest fresh one)",
                                List.of("Valid", "Freshness"),
                                main(1).timestamp(NOW + MAX_AHEAD)),
                        of(
                                "a route is named but the envelope is addressed to this agent: served here, not relayed",
                                List.of("Valid", "Target"),
                                main(1).route("router")),
                        of(
                                "fields encoded highest number first: the signing bytes do not depend on field order",
                                List.of("Valid", "NonCanonicalEncoding"),
                                main(1).onTheWire(b -> EnvelopeWire.reversed(parse(b)))),
                        of(
                                "sequence encoded as a varint with a redundant byte: the signing bytes use the value",
                                List.of("Valid", "NonCanonicalEncoding"),
                                main(1).onTheWire(b -> EnvelopeWire.paddedSequence(parse(b)))),
                        of(
                                        "sequence 4 after sequence 5: inside the window, not seen before",
                                        List.of("Valid", "Replay"),
                                        main(1).sequence(4))
                                .after(main(2).sequence(5)),
                        of(
                                "agent.revoke-sessions of the root's sessions issued before the agent's now",
                                List.of("Valid", "Revocation"),
                                main(1).command(revokeBefore(NOW)))));
    }

    private static Group malformed() {
        return new Group(
                "Malformed",
                "EnvelopeCodec refuses the bytes; the agent answers Rejected{MALFORMED}.",
                List.of(
                        of("empty payload", List.of("Malformed", "MissingField"), main(1).onTheWire(b -> new byte[0])),
                        of("not protobuf: an invalid field tag", List.of("Malformed"), main(1).onTheWire(b ->
                                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff})),
                        of(
                                "the last byte cut off",
                                List.of("Malformed", "Truncated"),
                                main(1).onTheWire(b -> Arrays.copyOf(b, b.length - 1))),
                        of(
                                "an unknown field (16) appended after signing",
                                List.of("Malformed", "UnknownField"),
                                main(1).onTheWire(b -> EnvelopeWire.concat(
                                        b, EnvelopeWire.varintField(EnvelopeWire.FIRST_UNKNOWN_FIELD, 1)))),
                        of(
                                "a reserved field (10) appended after signing",
                                List.of("Malformed", "UnknownField"),
                                main(1).onTheWire(b -> EnvelopeWire.concat(
                                        b, EnvelopeWire.varintField(EnvelopeWire.FIRST_RESERVED_FIELD, 1)))),
                        of(
                                "request_id twice (the same value)",
                                List.of("Malformed", "DuplicateField"),
                                main(1).onTheWire(b -> EnvelopeWire.concat(
                                        b,
                                        EnvelopeWire.bytesField(EnvelopeWire.REQUEST_ID, FixedInputs.requestId(1))))),
                        of(
                                "sequence sent as a length-delimited field",
                                List.of("Malformed", "WrongWireType"),
                                main(1).onTheWire(b -> EnvelopeWire.sequenceAsBytes(parse(b)))),
                        of(
                                "target_agent is not UTF-8",
                                List.of("Malformed"),
                                main(1).onTheWire(b ->
                                        EnvelopeWire.rawTarget(parse(b), notUtf8(AgentFixture.agentId())))),
                        of(
                                "no protocol_version (0), signed so",
                                List.of("Malformed", "MissingField"),
                                main(1).beforeSigning(e -> e.clearProtocolVersion())),
                        of("no sequence (0), signed so", List.of("Malformed", "MissingField"), main(1).sequence(0)),
                        of(
                                "no session_certificate, signed so",
                                List.of("Malformed", "MissingField"),
                                main(1).beforeSigning(e -> e.clearSessionCertificate())),
                        of(
                                "no target_agent, signed so",
                                List.of("Malformed", "MissingField"),
                                main(1).beforeSigning(e -> e.clearTargetAgent())),
                        of(
                                "no request_id, signed so",
                                List.of("Malformed", "MissingField"),
                                main(1).beforeSigning(e -> e.clearRequestId())),
                        of(
                                "no command, signed so",
                                List.of("Malformed", "MissingField"),
                                main(1).beforeSigning(e -> e.clearCommand())),
                        of(
                                "no signature",
                                List.of("Malformed", "MissingField"),
                                main(1).afterSigning(e -> e.clearSignature())),
                        of(
                                "a 15-byte request_id, signed so",
                                List.of("Malformed", "FieldLength"),
                                main(1).beforeSigning(e ->
                                        e.setRequestId(e.getRequestId().substring(1)))),
                        of(
                                "a 63-byte signature",
                                List.of("Malformed", "FieldLength"),
                                main(1).afterSigning(e ->
                                        e.setSignature(e.getSignature().substring(1)))),
                        of(
                                "a 513-byte session_certificate, signed so",
                                List.of("Malformed", "FieldLength"),
                                main(1).certificate(new byte[513])),
                        of(
                                "a 65-byte route, signed so",
                                List.of("Malformed", "FieldLength"),
                                main(1).route("r".repeat(65)))));
    }

    private static Group unattributable() {
        return new Group(
                "Unattributable",
                "Not attributable to an authorised session: only a bare Rejected frame, the details in the audit log.",
                List.of(
                        of(
                                "protocol_version 2, properly signed",
                                List.of("UnsupportedVersion"),
                                main(1).protocolVersion(2)),
                        of(
                                "a signature bit flipped",
                                List.of("BadSignature"),
                                main(1).afterSigning(e -> e.setSignature(flipFirstBit(e.getSignature())))),
                        of(
                                "sequence changed after signing",
                                List.of("BadSignature"),
                                main(1).afterSigning(e -> e.setSequence(2))),
                        of(
                                "target_agent changed after signing (to the stranger's ID)",
                                List.of("BadSignature", "Target"),
                                main(1).afterSigning(e -> e.setTargetAgent(strangerId()))),
                        of(
                                "route added after signing",
                                List.of("BadSignature", "Target"),
                                main(1).afterSigning(e -> e.setRoute("router"))),
                        of(
                                "signed under the RTOS command context instead of the envelope context",
                                List.of("BadSignature", "DomainSeparation"),
                                main(1).context(SignatureContext.RTOS_COMMAND)),
                        of(
                                "signed by the read-only session's key, carrying the main session's certificate",
                                List.of("BadSignature"),
                                main(1).signedBy(SessionSpec.READ_ONLY)),
                        of(
                                "a session certified by a root the agent does not authorise",
                                List.of("UnknownRoot"),
                                draft(SessionSpec.STRANGER, 1)),
                        of(
                                "a session certificate that does not decode (10 bytes), signed so",
                                List.of("BadCertificate"),
                                main(1).certificate(new byte[10])),
                        of(
                                "the session certificate's root signature broken",
                                List.of("BadCertificate", "BadSignature"),
                                main(1).certificate(flipLastByte(SessionSpec.MAIN.certificate())))));
    }

    private static Group sealedRefusals() {
        return new Group(
                "SealedRefusal",
                "Authentic (certificate and signature verify), then refused: the reason is sealed to the session as an Error.",
                List.of(
                        of(
                                "a session that expired an hour ago",
                                List.of("SessionWindow"),
                                draft(SessionSpec.EXPIRED, 1)),
                        of(
                                "a session that starts in an hour",
                                List.of("SessionWindow"),
                                draft(SessionSpec.NOT_YET_VALID, 1)),
                        of(
                                        "the root revoked its sessions issued before the agent's now",
                                        List.of("Revocation"),
                                        main(1).sequence(2))
                                .after(main(2).command(revokeBefore(NOW))),
                        of(
                                "addressed to another agent (the stranger's ID), no route",
                                List.of("Target"),
                                main(1).target(strangerId())),
                        of(
                                "addressed to another agent over a route this agent does not have",
                                List.of("Target"),
                                main(1).target(strangerId()).route("router")),
                        of(
                                "addressed to this agent's ID in upper case: IDs are compared exactly",
                                List.of("Target"),
                                main(1).target(AgentFixture.agentId().toUpperCase())),
                        of(
                                "timestamp 120001 ms behind the agent's clock",
                                List.of("Freshness"),
                                main(1).timestamp(NOW - MAX_AGE - 1)),
                        of(
                                "timestamp 30001 ms ahead of the agent's clock",
                                List.of("Freshness"),
                                main(1).timestamp(NOW + MAX_AHEAD + 1)),
                        of(
                                "command bytes that are not a Command, signed so",
                                List.of("Command"),
                                main(1).commandBytes(new byte[] {(byte) 0xff})),
                        of(
                                "a Command with only an unknown field (a newer shell's command)",
                                List.of("Command"),
                                main(1).commandBytes(EnvelopeWire.varintField(999, 1))),
                        of(
                                "portal.start from the read-only session",
                                List.of("Policy"),
                                draft(SessionSpec.READ_ONLY, 1).command(portalStart())),
                        of("share.list: no policy rule, so denied", List.of("Policy"), main(1).command(shareList())),
                        of(
                                "portal.start: allowed, but this agent serves no portal commands",
                                List.of("Command"),
                                main(1).command(portalStart()))));
    }

    private static Group replay() {
        return new Group(
                "ReplayAndDeduplication",
                "Sequence numbers are one-use per (session, agent); a request id already answered gets that answer again.",
                List.of(
                        of("sequence 5 again, with a new request id", List.of("Replay"), main(1).sequence(5))
                                .after(main(2).sequence(5)),
                        of(
                                        "a sequence number 1024 below the highest: below the window",
                                        List.of("Replay"),
                                        main(1).sequence(HIGH_SEQUENCE - SlidingWindow.WINDOW_SIZE))
                                .after(main(2).sequence(HIGH_SEQUENCE)),
                        of(
                                        "the same envelope again: the earlier sealed reply is resent, nothing runs twice",
                                        List.of("Resend"),
                                        main(1))
                                .after(main(1)),
                        of(
                                        "the same request id with a new sequence number and another command: the earlier reply is resent",
                                        List.of("Resend", "RequestIdReuse"),
                                        main(1).sequence(2).command(portalStart()))
                                .after(main(1)),
                        of(
                                        "the same request id after a refusal, now fresh: the earlier refusal is resent",
                                        List.of("Resend", "RequestIdReuse"),
                                        main(1).sequence(2))
                                .after(main(1).timestamp(NOW - MAX_AGE - 1))));
    }

    private static EnvelopeDraft main(int requestId) {
        return draft(SessionSpec.MAIN, requestId);
    }

    private static EnvelopeDraft draft(SessionSpec session, int requestId) {
        return EnvelopeDraft.of(session, requestId);
    }

    private static Command portalStart() {
        return Command.newBuilder()
                .setPortalStart(PortalStart.newBuilder().setName("work"))
                .build();
    }

    private static Command shareList() {
        return Command.newBuilder()
                .setShareList(ShareList.newBuilder().setPortal("work"))
                .build();
    }

    /** agent.revoke-sessions with the root's signed statement "revoke sessions issued before {@code cutoff}". */
    private static Command revokeBefore(long cutoff) {
        try (Identity root = Identity.fromSeed(FixedInputs.ROOT_SEED)) {
            RevocationStatement statement = RevocationStatement.sign(root, cutoff);
            return Command.newBuilder()
                    .setRevokeSessions(RevokeSessions.newBuilder()
                            .setIssuedBeforeMillis(cutoff)
                            .setRootSignature(ByteString.copyFrom(statement.encode())))
                    .build();
        }
    }

    private static String strangerId() {
        try (Identity stranger = Identity.fromSeed(FixedInputs.STRANGER_SEED)) {
            return stranger.id().text();
        }
    }

    private static Envelope parse(byte[] bytes) {
        try {
            return Envelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text's bytes with the first replaced by 0xff, which never occurs in UTF-8. */
    private static byte[] notUtf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        bytes[0] = (byte) 0xff;
        return bytes;
    }

    private static ByteString flipFirstBit(ByteString bytes) {
        byte[] b = bytes.toByteArray();
        b[0] ^= 0x01;
        return ByteString.copyFrom(b);
    }

    private static byte[] flipLastByte(byte[] bytes) {
        byte[] b = bytes.clone();
        b[b.length - 1] ^= 0x01;
        return b;
    }
}
