package org.multiverse.scramble.protocol.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.Event;
import org.multiverse.scramble.protocol.v1.Reply;

/**
 * Fuzzes {@link EnvelopeCodec}: for any bytes, every parser either returns a message that
 * meets the documented limits or throws {@link MalformedMessageException}; nothing else
 * escapes. Seeds: {@code src/test/resources/.../EnvelopeCodecFuzzTestInputs/parsersThrowOnlyTheTypedException/}.
 */
class EnvelopeCodecFuzzTest {

    @FuzzTest
    void parsersThrowOnlyTheTypedException(byte[] input) {
        try {
            Envelope envelope = EnvelopeCodec.parseEnvelope(input);
            assertEquals(EnvelopeCodec.REQUEST_ID_BYTES, envelope.getRequestId().size());
            assertEquals(EnvelopeCodec.SIGNATURE_BYTES, envelope.getSignature().size());
            assertTrue(envelope.getCommand().size() <= EnvelopeCodec.MAX_COMMAND_BYTES);
            assertTrue(envelope.getSessionCertificate().size() <= EnvelopeCodec.MAX_CERTIFICATE_BYTES);
            // A re-encoding parses back to the same signed content.
            Envelope again = EnvelopeCodec.parseEnvelope(envelope.toByteArray());
            assertArrayEquals(SigningBytes.of(envelope), SigningBytes.of(again));
            EnvelopeCodec.parseCommand(envelope.getCommand().toByteArray());
        } catch (MalformedMessageException expected) {
            // the one allowed failure
        }
        try {
            Reply reply = EnvelopeCodec.parseReply(input);
            assertEquals(EnvelopeCodec.ENC_BYTES, reply.getEnc().size());
        } catch (MalformedMessageException expected) {
            // allowed
        }
        try {
            Event event = EnvelopeCodec.parseEvent(input);
            assertEquals(event.getSequence() == 0, event.getEnc().size() == EnvelopeCodec.ENC_BYTES);
        } catch (MalformedMessageException expected) {
            // allowed
        }
        try {
            EnvelopeCodec.parseRejected(input);
        } catch (MalformedMessageException expected) {
            // allowed
        }
        try {
            EnvelopeCodec.parseHeartbeat(input);
        } catch (MalformedMessageException expected) {
            // allowed
        }
        try {
            EnvelopeCodec.parseCommand(input);
        } catch (MalformedMessageException expected) {
            // allowed
        }
    }
}
