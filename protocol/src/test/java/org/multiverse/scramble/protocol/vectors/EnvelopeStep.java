package org.multiverse.scramble.protocol.vectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import java.math.BigInteger;
import java.util.Optional;
import org.multiverse.scramble.protocol.envelope.EnvelopeCodec;
import org.multiverse.scramble.protocol.envelope.MalformedMessageException;
import org.multiverse.scramble.protocol.envelope.SigningBytes;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.suite.cert.CertificateException;
import org.multiverse.scramble.suite.cert.SessionCertificate;
import org.multiverse.scramble.suite.sign.SignatureContext;

/**
 * What a file shows of one envelope: who made it, its bytes, and, when the codec accepts it, its
 * fields, signing bytes, the Ed25519 message and whether the signature verifies; when the codec
 * refuses it, the request id a plain protobuf parser can still read from it (if any), for the
 * planned change that makes {@code Rejected{MALFORMED}} carry it.
 */
final class EnvelopeStep {

    private EnvelopeStep() {}

    static ObjectNode describe(String session, byte[] bytes) {
        ObjectNode node = VectorJson.object();
        node.put("session", session);
        node.put("envelope", VectorJson.hex(bytes));
        Envelope envelope;
        try {
            envelope = EnvelopeCodec.parseEnvelope(bytes);
        } catch (MalformedMessageException e) {
            readableRequestId(bytes).ifPresent(id -> node.put("readableRequestId", VectorJson.hex(id)));
            return node;
        }
        node.set("fields", fields(envelope));
        byte[] signing = SigningBytes.of(envelope);
        node.put("signingBytes", VectorJson.hex(signing));
        node.put("ed25519Message", VectorJson.hex(SignedMessage.of(SignatureContext.ENVELOPE, signing)));
        signatureValid(envelope, signing).ifPresent(valid -> node.put("signatureValid", valid));
        return node;
    }

    /** The envelope's fields; {@code sequence} as an unsigned number. */
    static ObjectNode fields(Envelope e) {
        ObjectNode f = VectorJson.object();
        f.put("protocolVersion", Integer.toUnsignedLong(e.getProtocolVersion()));
        f.put("sessionCertificate", VectorJson.hex(e.getSessionCertificate().toByteArray()));
        f.put("targetAgent", e.getTargetAgent());
        f.put("sequence", new BigInteger(Long.toUnsignedString(e.getSequence())));
        f.put("timestampMillis", e.getTimestampMillis());
        f.put("requestId", VectorJson.hex(e.getRequestId().toByteArray()));
        f.put("command", VectorJson.hex(e.getCommand().toByteArray()));
        f.put("signature", VectorJson.hex(e.getSignature().toByteArray()));
        f.put("route", e.getRoute());
        return f;
    }

    /** Whether the signature verifies under the certificate's session key; empty if the certificate does not decode. */
    private static Optional<Boolean> signatureValid(Envelope e, byte[] signing) {
        try {
            SessionCertificate certificate =
                    SessionCertificate.decode(e.getSessionCertificate().toByteArray());
            return Optional.of(SignedMessage.verifyRaw(
                    certificate.sessionSigningKey(),
                    SignedMessage.of(SignatureContext.ENVELOPE, signing),
                    e.getSignature().toByteArray()));
        } catch (CertificateException notDecodable) {
            return Optional.empty();
        }
    }

    /** The 16-byte request id a plain protobuf parse finds (the last occurrence wins), if any. */
    private static Optional<byte[]> readableRequestId(byte[] bytes) {
        try {
            byte[] id = Envelope.parseFrom(bytes).getRequestId().toByteArray();
            return id.length == 16 ? Optional.of(id) : Optional.empty();
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }
}
