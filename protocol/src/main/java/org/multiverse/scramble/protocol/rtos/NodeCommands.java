package org.multiverse.scramble.protocol.rtos;

import com.google.protobuf.ByteString;
import org.multiverse.scramble.protocol.rtos.v1.NodeCommand;
import org.multiverse.scramble.protocol.rtos.v1.SignedCommand;
import org.multiverse.scramble.protocol.rtos.v1.Write;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.sign.SignatureContext;

/**
 * Builds the signed node commands of WIRE.md section 6 on the person's side: the encoded
 * NodeCommand is signed with the session key under {@link SignatureContext#RTOS_COMMAND}.
 * The shell follows the same recipe; this class is its reference and the tests' tool.
 */
public final class NodeCommands {

    /** Largest signed command body a node buffers (node.options: NodeCommand, WIRE.md section 3). */
    public static final int MAX_COMMAND_BODY = 64;

    private NodeCommands() {}

    /**
     * A signed write.
     *
     * @param atUnixMicros 0 to run on arrival, else the Unix time to run at
     * @param notAfterUnixMicros the node refuses the command after this time
     * @return an encoded SignedCommand
     */
    public static byte[] signedWrite(
            SessionKeys session,
            String nodeId,
            long sequence,
            int channel,
            float value,
            long atUnixMicros,
            long notAfterUnixMicros) {
        byte[] body = NodeCommand.newBuilder()
                .setNodeId(nodeId)
                .setSequence(sequence)
                .setNotAfterUnixMicros(notAfterUnixMicros)
                .setWrite(Write.newBuilder().setChannel(channel).setValue(value).setAtUnixMicros(atUnixMicros))
                .build()
                .toByteArray();
        if (body.length > MAX_COMMAND_BODY) {
            throw new IllegalArgumentException("command body of " + body.length + " bytes");
        }
        byte[] signature = session.sign(SignatureContext.RTOS_COMMAND, body);
        return SignedCommand.newBuilder()
                .setSessionRef(SessionRef.of(session.certificate().encode()))
                .setBody(ByteString.copyFrom(body))
                .setSignature(ByteString.copyFrom(signature))
                .build()
                .toByteArray();
    }
}
