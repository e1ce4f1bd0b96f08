package org.multiverse.scramble.protocol.vectors;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.multiverse.scramble.protocol.envelope.SigningBytes;
import org.multiverse.scramble.protocol.session.EnvelopeSigner;
import org.multiverse.scramble.protocol.v1.AgentPing;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.InvalidScrambleIdException;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.sign.SignatureContext;

/**
 * How one envelope of a vector is made: a correctly signed envelope from a session (by default
 * an {@code agent.ping} to the fixture's agent, sequence 1, sent a second before the agent's
 * "now"), then the one change the vector is about, before signing, after signing, or on the
 * encoded bytes. Mutable builder; {@link #build()} gives the bytes sent in the ENVELOPE frame.
 */
final class EnvelopeDraft {

    /** The payload of the default ping, echoed in the Pong. */
    static final ByteString PING_PAYLOAD = ByteString.copyFromUtf8("vectors");

    private final SessionSpec session;
    private SessionSpec signer;
    private final byte[] requestId;
    private int protocolVersion = EnvelopeSigner.PROTOCOL_VERSION;
    private byte[] certificate;
    private String target = AgentFixture.agentId();
    private long sequence = 1;
    private long timestampMillis = FixedInputs.ENVELOPE_SENT_MILLIS;
    private ByteString command = ping();
    private String route = "";
    private SignatureContext context = SignatureContext.ENVELOPE;
    private Consumer<Envelope.Builder> beforeSigning = b -> {};
    private Consumer<Envelope.Builder> afterSigning = b -> {};
    private UnaryOperator<byte[]> onTheWire = UnaryOperator.identity();
    private boolean edited;

    private EnvelopeDraft(SessionSpec session, int requestIdNumber) {
        this.session = session;
        this.signer = session;
        this.requestId = FixedInputs.requestId(requestIdNumber);
        this.certificate = session.certificate();
    }

    /** A correct envelope of {@code session} with request id number {@code requestIdNumber}. */
    static EnvelopeDraft of(SessionSpec session, int requestIdNumber) {
        return new EnvelopeDraft(session, requestIdNumber);
    }

    static ByteString ping() {
        return Command.newBuilder()
                .setAgentPing(AgentPing.newBuilder().setPayload(PING_PAYLOAD))
                .build()
                .toByteString();
    }

    /** The session whose certificate the envelope carries. */
    SessionSpec session() {
        return session;
    }

    EnvelopeDraft sequence(long s) {
        sequence = s;
        return this;
    }

    EnvelopeDraft timestamp(long millis) {
        timestampMillis = millis;
        return this;
    }

    EnvelopeDraft target(String t) {
        target = t;
        return this;
    }

    EnvelopeDraft route(String r) {
        route = r;
        return this;
    }

    EnvelopeDraft command(Command c) {
        command = c.toByteString();
        return this;
    }

    /** Command bytes as given, even if they are not a Command. */
    EnvelopeDraft commandBytes(byte[] bytes) {
        command = ByteString.copyFrom(bytes);
        edited = true;
        return this;
    }

    EnvelopeDraft protocolVersion(int v) {
        protocolVersion = v;
        edited = true;
        return this;
    }

    EnvelopeDraft certificate(byte[] c) {
        certificate = c.clone();
        edited = true;
        return this;
    }

    /** Signed by another session's key than the one whose certificate it carries. */
    EnvelopeDraft signedBy(SessionSpec other) {
        signer = other;
        edited = true;
        return this;
    }

    EnvelopeDraft context(SignatureContext c) {
        context = c;
        edited = true;
        return this;
    }

    /** A change to the fields before they are signed (so the signature covers it). */
    EnvelopeDraft beforeSigning(Consumer<Envelope.Builder> change) {
        beforeSigning = change;
        edited = true;
        return this;
    }

    /** A change to the fields after signing (so the signature does not cover it). */
    EnvelopeDraft afterSigning(Consumer<Envelope.Builder> change) {
        afterSigning = change;
        edited = true;
        return this;
    }

    /** A change to the encoded bytes. */
    EnvelopeDraft onTheWire(UnaryOperator<byte[]> change) {
        onTheWire = change;
        edited = true;
        return this;
    }

    /** The bytes of the ENVELOPE frame's payload. */
    byte[] build() {
        Envelope.Builder fields = Envelope.newBuilder()
                .setProtocolVersion(protocolVersion)
                .setSessionCertificate(ByteString.copyFrom(certificate))
                .setTargetAgent(target)
                .setSequence(sequence)
                .setTimestampMillis(timestampMillis)
                .setRequestId(ByteString.copyFrom(requestId))
                .setCommand(command)
                .setRoute(route);
        beforeSigning.accept(fields);
        Envelope unsigned = fields.build();
        Envelope.Builder signed;
        try (SessionKeys keys = signer.create()) {
            signed = unsigned.toBuilder()
                    .setSignature(ByteString.copyFrom(keys.sign(context, SigningBytes.of(unsigned))));
            if (!edited) {
                requireSameAsProductSigner(keys, signed.build());
            }
        }
        afterSigning.accept(signed);
        return onTheWire.apply(signed.build().toByteArray());
    }

    /** An unedited draft must be exactly what the shell's {@code EnvelopeSigner} sends. */
    private void requireSameAsProductSigner(SessionKeys keys, Envelope made) {
        try {
            Envelope product = EnvelopeSigner.sign(
                    keys,
                    Command.parseFrom(command),
                    ScrambleId.parse(target),
                    route,
                    sequence,
                    timestampMillis,
                    requestId);
            if (!Arrays.equals(product.toByteArray(), made.toByteArray())) {
                throw new IllegalStateException("EnvelopeSigner signs differently from the vector generator");
            }
        } catch (InvalidProtocolBufferException | InvalidScrambleIdException e) {
            // Not something the shell can send (an agent that is no Scramble ID): no comparison.
        }
    }
}
