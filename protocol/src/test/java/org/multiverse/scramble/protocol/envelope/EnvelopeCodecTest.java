package org.multiverse.scramble.protocol.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiverse.scramble.protocol.envelope.WireBytes.concat;
import static org.multiverse.scramble.protocol.envelope.WireBytes.lengthDelimited;
import static org.multiverse.scramble.protocol.envelope.WireBytes.validEnvelope;
import static org.multiverse.scramble.protocol.envelope.WireBytes.varint;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.Event;
import org.multiverse.scramble.protocol.v1.Heartbeat;
import org.multiverse.scramble.protocol.v1.RejectCode;
import org.multiverse.scramble.protocol.v1.Rejected;
import org.multiverse.scramble.protocol.v1.Reply;

class EnvelopeCodecTest {

    private static void assertMalformed(String expectedMessage, Executable parse) {
        MalformedMessageException e = assertThrows(MalformedMessageException.class, parse);
        assertEquals(expectedMessage, e.getMessage());
    }

    private static void assertEnvelopeMalformed(String expected, Consumer<Envelope.Builder> edit) {
        Envelope.Builder builder = validEnvelope().toBuilder();
        edit.accept(builder);
        byte[] bytes = builder.build().toByteArray();
        assertMalformed(expected, () -> EnvelopeCodec.parseEnvelope(bytes));
    }

    private static ByteString bytes(int length) {
        return ByteString.copyFrom(new byte[length]);
    }

    @Test
    void validEnvelopeRoundTrips() {
        Envelope envelope = validEnvelope();
        assertEquals(envelope, EnvelopeCodec.parseEnvelope(envelope.toByteArray()));
        Envelope routed = envelope.toBuilder().setRoute("router").build();
        assertEquals(routed, EnvelopeCodec.parseEnvelope(routed.toByteArray()));
    }

    @Test
    void envelopeFieldLimitsNameTheField() {
        assertEnvelopeMalformed(
                "Envelope.request_id: must be exactly 16 bytes, got 15", b -> b.setRequestId(bytes(15)));
        assertEnvelopeMalformed(
                "Envelope.request_id: must be exactly 16 bytes, got 17", b -> b.setRequestId(bytes(17)));
        assertEnvelopeMalformed(
                "Envelope.request_id: must be exactly 16 bytes, got 0", Envelope.Builder::clearRequestId);
        assertEnvelopeMalformed("Envelope.signature: must be exactly 64 bytes, got 63", b -> b.setSignature(bytes(63)));
        assertEnvelopeMalformed(
                "Envelope.signature: must be exactly 64 bytes, got 0", Envelope.Builder::clearSignature);
        assertEnvelopeMalformed(
                "Envelope.session_certificate: must be at most 512 bytes, got 513",
                b -> b.setSessionCertificate(bytes(513)));
        assertEnvelopeMalformed("Envelope.session_certificate: is missing", Envelope.Builder::clearSessionCertificate);
        assertEnvelopeMalformed(
                "Envelope.target_agent: must be at most 128 bytes, got 129", b -> b.setTargetAgent("x".repeat(129)));
        assertEnvelopeMalformed("Envelope.target_agent: is missing", Envelope.Builder::clearTargetAgent);
        assertEnvelopeMalformed(
                "Envelope.command: must be at most 32768 bytes, got 32769", b -> b.setCommand(bytes(32769)));
        assertEnvelopeMalformed("Envelope.command: is missing", Envelope.Builder::clearCommand);
        assertEnvelopeMalformed("Envelope.route: must be at most 64 bytes, got 65", b -> b.setRoute("r".repeat(65)));
        assertEnvelopeMalformed("Envelope.protocol_version: is missing", Envelope.Builder::clearProtocolVersion);
        assertEnvelopeMalformed(
                "Envelope.sequence: is missing (sequence numbers start at 1)", Envelope.Builder::clearSequence);
    }

    @Test
    void fieldLimitsAtTheBoundaryAreAccepted() {
        Envelope envelope = validEnvelope().toBuilder()
                .setSessionCertificate(bytes(512))
                .setTargetAgent("x".repeat(128))
                .setCommand(bytes(32768))
                .setRoute("r".repeat(64))
                .build();
        assertEquals(envelope, EnvelopeCodec.parseEnvelope(envelope.toByteArray()));
    }

    @Test
    void envelopeRefusesUnknownDuplicateAndMistypedFields() {
        byte[] valid = validEnvelope().toByteArray();
        assertMalformed(
                "Envelope: unknown field number 16", () -> EnvelopeCodec.parseEnvelope(concat(valid, varint(16, 1))));
        assertMalformed(
                "Envelope.request_id: appears more than once",
                () -> EnvelopeCodec.parseEnvelope(concat(valid, lengthDelimited(6, new byte[16]))));
        assertMalformed(
                "Envelope.sequence: appears more than once",
                () -> EnvelopeCodec.parseEnvelope(concat(valid, varint(4, 8))));
        assertMalformed(
                "Envelope.request_id: wrong wire type 0 at byte " + valid.length,
                () -> EnvelopeCodec.parseEnvelope(concat(valid, varint(6, 1))));
        assertMalformed(
                "Envelope.sequence: wrong wire type 2 at byte 0",
                () -> EnvelopeCodec.parseEnvelope(concat(lengthDelimited(4, new byte[1]), valid)));
    }

    @Test
    void invalidUtf8InAStringFieldIsNamed() {
        byte[] bad = concat(
                validEnvelope().toBuilder().clearTargetAgent().build().toByteArray(),
                lengthDelimited(3, new byte[] {'s', (byte) 0xC3, 0x28}));
        assertMalformed("Envelope.target_agent: not valid UTF-8", () -> EnvelopeCodec.parseEnvelope(bad));
    }

    @Test
    void hugeOrLyingLengthsAreRefusedBeforeCopying() {
        // Field 7 claiming 2^31 - 1 bytes with 3 present.
        byte[] lying = concat(new byte[] {0x3A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07}, new byte[3]);
        assertMalformed(
                "Envelope.command: truncated: claims 2147483647 bytes, 3 remain",
                () -> EnvelopeCodec.parseEnvelope(lying));
        // A 64-bit length that does not fit in 32 bits.
        byte[] negative = {0x3A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x0F};
        assertMalformed(
                "Envelope.command: truncated: claims 4294967295 bytes, 0 remain",
                () -> EnvelopeCodec.parseEnvelope(negative));
        assertMalformed("Envelope: invalid field tag at byte 0", () -> EnvelopeCodec.parseEnvelope(new byte[] {0x00}));
        assertMalformed(
                "Envelope.sequence: invalid varint",
                () -> EnvelopeCodec.parseEnvelope(concat(new byte[] {0x20}, filled(3, (byte) 0xFF)))); // truncated
    }

    @Test
    void oversizeMessageIsRefusedAsAWhole() {
        assertMalformed(
                "Envelope: is 65537 bytes, at most 65536 allowed", () -> EnvelopeCodec.parseEnvelope(new byte[65537]));
        // A Reply may come in parts (SPEC.md §8.1): its bound is the reassembled reply's.
        assertMalformed(
                "Reply: is 16777217 bytes, at most 16777216 allowed",
                () -> EnvelopeCodec.parseReply(new byte[16 * 1024 * 1024 + 1]));
        assertMalformed(
                "Event: is 65537 bytes, at most 65536 allowed", () -> EnvelopeCodec.parseEvent(new byte[65537]));
    }

    @Test
    void everyTruncationOfAnEnvelopeIsMalformed() {
        byte[] valid = validEnvelope().toByteArray(); // signature is the last field written
        for (int cut = 0; cut < valid.length; cut++) {
            byte[] truncated = Arrays.copyOf(valid, cut);
            MalformedMessageException e = assertThrows(
                    MalformedMessageException.class, () -> EnvelopeCodec.parseEnvelope(truncated), "cut at " + cut);
            assertTrue(e.field().startsWith("Envelope"), e.getMessage());
        }
    }

    @Test
    void randomBytesOnlyEverGiveTheTypedException() {
        Random random = new Random(3);
        Function<byte[], ?>[] parsers = parsers();
        for (int i = 0; i < 5_000; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            for (Function<byte[], ?> parser : parsers) {
                try {
                    parser.apply(junk);
                } catch (MalformedMessageException expected) {
                    // the only exception allowed
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Function<byte[], ?>[] parsers() {
        return new Function[] {
            (Function<byte[], Envelope>) EnvelopeCodec::parseEnvelope,
            (Function<byte[], Reply>) EnvelopeCodec::parseReply,
            (Function<byte[], Rejected>) EnvelopeCodec::parseRejected,
            (Function<byte[], Event>) EnvelopeCodec::parseEvent,
            (Function<byte[], Heartbeat>) EnvelopeCodec::parseHeartbeat,
            (Function<byte[], Command>) EnvelopeCodec::parseCommand,
        };
    }

    private static Reply validReply() {
        return Reply.newBuilder()
                .setRequestId(bytes(16))
                .setEnc(bytes(32))
                .setCiphertext(bytes(40))
                .setAgentId("scr1" + "b".repeat(56))
                .build();
    }

    @Test
    void replyLimits() {
        Reply reply = validReply();
        assertEquals(reply, EnvelopeCodec.parseReply(reply.toByteArray()));
        assertMalformed(
                "Reply.enc: must be exactly 32 bytes, got 31",
                () -> EnvelopeCodec.parseReply(
                        reply.toBuilder().setEnc(bytes(31)).build().toByteArray()));
        assertMalformed(
                "Reply.agent_id: is missing",
                () -> EnvelopeCodec.parseReply(
                        reply.toBuilder().clearAgentId().build().toByteArray()));
        assertMalformed(
                "Reply.ciphertext: is missing",
                () -> EnvelopeCodec.parseReply(
                        reply.toBuilder().clearCiphertext().build().toByteArray()));
        assertMalformed(
                "Reply.request_id: must be exactly 16 bytes, got 0",
                () -> EnvelopeCodec.parseReply(
                        reply.toBuilder().clearRequestId().build().toByteArray()));
    }

    @Test
    void nonEnvelopeMessagesSkipUnknownFieldsFromNewerPeers() {
        byte[] extended = concat(validReply().toByteArray(), lengthDelimited(20, new byte[5]), varint(21, 9));
        assertEquals(
                validReply().getAgentId(), EnvelopeCodec.parseReply(extended).getAgentId());
        assertMalformed(
                "Reply: unknown field number 20 is truncated or invalid",
                () -> EnvelopeCodec.parseReply(
                        concat(validReply().toByteArray(), new byte[] {(byte) 0xA2, 0x01, 0x05})));
    }

    @Test
    void rejectedRequestIdIsAbsentOrSixteenBytes() {
        Rejected none = Rejected.newBuilder().setCode(RejectCode.MALFORMED).build();
        assertEquals(none, EnvelopeCodec.parseRejected(none.toByteArray()));
        Rejected withId = none.toBuilder().setRequestId(bytes(16)).build();
        assertEquals(withId, EnvelopeCodec.parseRejected(withId.toByteArray()));
        assertMalformed(
                "Rejected.request_id: must be exactly 16 bytes, got 5",
                () -> EnvelopeCodec.parseRejected(
                        none.toBuilder().setRequestId(bytes(5)).build().toByteArray()));
        // An empty message is a valid (if uninformative) rejection.
        assertEquals(Rejected.getDefaultInstance(), EnvelopeCodec.parseRejected(new byte[0]));
    }

    @Test
    void everyEventCarriesTheEncapsulatedKey() {
        Event first = Event.newBuilder()
                .setSubscriptionId(bytes(16))
                .setEnc(bytes(32))
                .setSequence(0)
                .setCiphertext(bytes(20))
                .setAgentId("scr1x")
                .build();
        assertEquals(first, EnvelopeCodec.parseEvent(first.toByteArray()));
        Event later = first.toBuilder().setSequence(1).build();
        assertEquals(later, EnvelopeCodec.parseEvent(later.toByteArray()));
        assertMalformed(
                "Event.enc: is missing",
                () -> EnvelopeCodec.parseEvent(
                        first.toBuilder().clearEnc().build().toByteArray()));
        assertMalformed(
                "Event.enc: is missing",
                () -> EnvelopeCodec.parseEvent(
                        later.toBuilder().clearEnc().build().toByteArray()));
        assertMalformed(
                "Event.enc: must be exactly 32 bytes, got 8",
                () -> EnvelopeCodec.parseEvent(
                        first.toBuilder().setEnc(bytes(8)).build().toByteArray()));
        assertMalformed(
                "Event.subscription_id: must be exactly 16 bytes, got 0",
                () -> EnvelopeCodec.parseEvent(
                        first.toBuilder().clearSubscriptionId().build().toByteArray()));
    }

    @Test
    void heartbeat() {
        Heartbeat beat = Heartbeat.newBuilder()
                .setNonce(7)
                .setSentMillis(42)
                .setAck(true)
                .build();
        assertEquals(beat, EnvelopeCodec.parseHeartbeat(beat.toByteArray()));
        assertMalformed(
                "Heartbeat.nonce: wrong wire type 2 at byte 0",
                () -> EnvelopeCodec.parseHeartbeat(lengthDelimited(1, new byte[2])));
    }

    @Test
    void commandParsing() throws Exception {
        Command command = Command.parseFrom(validEnvelope().getCommand().toByteArray());
        assertEquals(
                Command.KindCase.PORTAL_START,
                EnvelopeCodec.parseCommand(command.toByteArray()).getKindCase());
        // A command from a newer shell: not malformed, the agent answers UNSUPPORTED_COMMAND.
        assertEquals(
                Command.KindCase.KIND_NOT_SET,
                EnvelopeCodec.parseCommand(lengthDelimited(200, new byte[0])).getKindCase());
        assertMalformed(
                "Command: not a valid protobuf encoding",
                () -> EnvelopeCodec.parseCommand(new byte[] {(byte) 0x82, 0x02, 0x05}));
        assertMalformed(
                "Command: is 32769 bytes, at most 32768 allowed", () -> EnvelopeCodec.parseCommand(new byte[32769]));
    }

    @Test
    void committedValidFuzzSeedsReallyParse() throws Exception {
        // Keeps the fuzz corpus meaningful: its valid seeds must reach the success paths.
        String dir = "EnvelopeCodecFuzzTestInputs/parsersThrowOnlyTheTypedException/";
        assertEquals(
                "work",
                EnvelopeCodec.parseCommand(seed(dir + "command_portal_start"))
                        .getPortalStart()
                        .getName());
        Envelope envelope = EnvelopeCodec.parseEnvelope(seed(dir + "valid_envelope"));
        assertEquals("router", envelope.getRoute());
        assertEquals(
                Command.KindCase.PORTAL_START,
                EnvelopeCodec.parseCommand(envelope.getCommand().toByteArray()).getKindCase());
        EnvelopeCodec.parseReply(seed(dir + "valid_reply"));
        EnvelopeCodec.parseEvent(seed(dir + "valid_first_event"));
        assertEquals(
                42, EnvelopeCodec.parseHeartbeat(seed(dir + "valid_heartbeat")).getSentMillis());
        assertEquals(
                RejectCode.MALFORMED,
                EnvelopeCodec.parseRejected(seed(dir + "valid_rejected")).getCode());
    }

    private static byte[] seed(String name) throws java.io.IOException {
        try (var in = EnvelopeCodecTest.class.getResourceAsStream(name)) {
            assertTrue(in != null, "missing seed " + name);
            return in.readAllBytes();
        }
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }
}
