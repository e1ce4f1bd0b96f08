package org.multiverse.scramble.protocol.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SecureRandom;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.Reply;

/** Envelope frames for client tests (unsigned: the transport layer does not verify). */
final class TestEnvelopes {
    private static final SecureRandom RANDOM = new SecureRandom();

    record Request(byte[] id, Frame frame) {}

    private TestEnvelopes() {}

    static Request next(String command) {
        byte[] id = new byte[AgentClient.REQUEST_ID_BYTES];
        RANDOM.nextBytes(id);
        Envelope env = Envelope.newBuilder()
                .setProtocolVersion(1)
                .setRequestId(ByteString.copyFrom(id))
                .setCommand(ByteString.copyFromUtf8(command))
                .setSignature(ByteString.copyFrom(new byte[64]))
                .build();
        return new Request(id, new Frame(FrameType.ENVELOPE, env.toByteArray()));
    }

    static byte[] replyId(Frame reply) throws InvalidProtocolBufferException {
        return Reply.parseFrom(reply.payload()).getRequestId().toByteArray();
    }
}
