package org.multiverse.scramble.protocol.session;

import com.google.protobuf.ByteString;
import org.multiverse.scramble.protocol.envelope.SigningBytes;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.sign.SignatureContext;

/** Builds and signs one envelope with a session key. */
public final class EnvelopeSigner {

    /** Current wire schema version. */
    public static final int PROTOCOL_VERSION = 1;
    /** Length of a request id. */
    public static final int REQUEST_ID_BYTES = 16;

    private EnvelopeSigner() {}

    /**
     * @param route     the route the first agent relays over, or empty for the target itself
     * @param requestId 16 random bytes
     */
    public static Envelope sign(
            SessionKeys session,
            Command command,
            ScrambleId target,
            String route,
            long sequence,
            long timestampMillis,
            byte[] requestId) {
        if (requestId.length != REQUEST_ID_BYTES) {
            throw new IllegalArgumentException("request id must be " + REQUEST_ID_BYTES + " bytes");
        }
        Envelope unsigned = Envelope.newBuilder()
                .setProtocolVersion(PROTOCOL_VERSION)
                .setSessionCertificate(ByteString.copyFrom(session.certificate().encode()))
                .setTargetAgent(target.text())
                .setSequence(sequence)
                .setTimestampMillis(timestampMillis)
                .setRequestId(ByteString.copyFrom(requestId))
                .setCommand(command.toByteString())
                .setRoute(route)
                .build();
        byte[] signature = session.sign(SignatureContext.ENVELOPE, SigningBytes.of(unsigned));
        return unsigned.toBuilder().setSignature(ByteString.copyFrom(signature)).build();
    }
}
