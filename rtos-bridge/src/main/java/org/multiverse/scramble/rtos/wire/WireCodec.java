package org.multiverse.scramble.rtos.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import org.multiverse.scramble.protocol.rtos.v1.FromNode;
import org.multiverse.scramble.protocol.rtos.v1.ToNode;

/**
 * Frame payloads to messages and back, with the bounds of {@link Bounds} checked both
 * ways: the node side decodes {@link ToNode}, the bridge side {@link FromNode}.
 */
public final class WireCodec {

    private WireCodec() {}

    /** Decodes and bounds-checks what the bridge sent (the node side's decoder). */
    public static ToNode decodeToNode(byte[] payload) throws WireException {
        ToNode m;
        try {
            m = ToNode.parseFrom(limit(payload));
        } catch (InvalidProtocolBufferException e) {
            throw new WireException(WireException.Reason.UNDECODABLE, "ToNode: " + e.getMessage());
        }
        Bounds.check(m);
        return m;
    }

    /** Decodes and bounds-checks what a node sent (the bridge side's decoder). */
    public static FromNode decodeFromNode(byte[] payload) throws WireException {
        FromNode m;
        try {
            m = FromNode.parseFrom(limit(payload));
        } catch (InvalidProtocolBufferException e) {
            throw new WireException(WireException.Reason.UNDECODABLE, "FromNode: " + e.getMessage());
        }
        Bounds.check(m);
        return m;
    }

    /** Bounds-checks and encodes a message for the node into one frame. */
    public static byte[] frame(ToNode m) throws WireException {
        Bounds.check(m);
        return frameOf(m);
    }

    /** Bounds-checks and encodes a message from the node into one frame. */
    public static byte[] frame(FromNode m) throws WireException {
        Bounds.check(m);
        return frameOf(m);
    }

    private static byte[] frameOf(MessageLite m) throws WireException {
        byte[] payload = m.toByteArray();
        if (payload.length > FrameLimits.MAX_PAYLOAD) {
            throw new WireException(
                    WireException.Reason.TOO_LARGE, payload.length + " bytes, max " + FrameLimits.MAX_PAYLOAD);
        }
        if (payload.length == 0) {
            throw new WireException(WireException.Reason.MALFORMED, "empty message");
        }
        return FrameEncoder.encode(payload);
    }

    private static byte[] limit(byte[] payload) throws WireException {
        if (payload.length > FrameLimits.MAX_PAYLOAD) {
            throw new WireException(
                    WireException.Reason.TOO_LARGE, payload.length + " bytes, max " + FrameLimits.MAX_PAYLOAD);
        }
        return payload;
    }
}
