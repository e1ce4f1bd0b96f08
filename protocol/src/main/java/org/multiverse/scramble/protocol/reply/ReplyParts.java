package org.multiverse.scramble.protocol.reply;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.v1.Reply;
import org.multiverse.scramble.protocol.v1.ReplyPart;

/**
 * How a {@code Reply} larger than one frame crosses the link (SPEC.md §8.1): its serialized bytes
 * cut into fixed-size pieces, each in a REPLY_PART frame. The layout is fixed so that a receiver
 * can check every part against the first one and never has to trust a claimed offset.
 */
public final class ReplyParts {

    /**
     * The largest reply an agent sends and a client reassembles: 1 000 audit lines are about
     * 0.3 MB and a console tail at most 4 MiB; 16 MiB leaves room and bounds what a client buffers
     * for one request.
     */
    public static final int MAX_REPLY_BYTES = 16 * 1024 * 1024;

    /** Data in every part but the last: 60 KiB leaves room for the part's other fields in a 64 KiB frame. */
    public static final int PART_DATA_BYTES = 60 * 1024;

    /** Parts of the largest reply (274). */
    public static final int MAX_PARTS = partsFor(MAX_REPLY_BYTES);

    /**
     * Room kept in {@link #MAX_REPLY_BYTES} for what a Reply adds around its sealed body: request
     * id, encapsulated key, AEAD tag, agent ID, reply key and its signature (about 300 bytes).
     */
    public static final int REPLY_OVERHEAD_BYTES = 1024;

    /** The largest serialized ReplyBody an agent seals; a larger answer is replaced by an error. */
    public static final int MAX_BODY_BYTES = MAX_REPLY_BYTES - REPLY_OVERHEAD_BYTES;

    private ReplyParts() {}

    /** Number of parts a reply of {@code totalBytes} is cut into. */
    public static int partsFor(int totalBytes) {
        return (int) ((totalBytes + (long) PART_DATA_BYTES - 1) / PART_DATA_BYTES);
    }

    /** Bytes part {@code index} of a reply of {@code totalBytes} carries. */
    static int partBytes(int index, int totalBytes) {
        int count = partsFor(totalBytes);
        return index < count - 1 ? PART_DATA_BYTES : totalBytes - (count - 1) * PART_DATA_BYTES;
    }

    /** Whether a REPLY payload of this size needs parts. */
    public static boolean needsParts(int replyBytes) {
        return replyBytes > FrameEncoder.DEFAULT_MAX_PAYLOAD;
    }

    /**
     * The frames that carry one REPLY payload: the REPLY frame itself when it fits, else its
     * REPLY_PART frames in order.
     *
     * @param reply a serialized {@code Reply}
     * @throws ReplyTooLargeException above {@link #MAX_REPLY_BYTES}, or when a payload that needs
     *     parts is not a Reply with a 16-byte request id (the parts could not be matched)
     */
    public static List<Frame> frames(byte[] reply) throws ReplyTooLargeException {
        if (!needsParts(reply.length)) {
            return List.of(new Frame(FrameType.REPLY, reply));
        }
        if (reply.length > MAX_REPLY_BYTES) {
            throw new ReplyTooLargeException(
                    "the reply is " + reply.length + " bytes; at most " + MAX_REPLY_BYTES + " can be sent");
        }
        ByteString requestId;
        try {
            requestId = Reply.parseFrom(reply).getRequestId();
        } catch (InvalidProtocolBufferException e) {
            throw new ReplyTooLargeException("a reply of " + reply.length + " bytes is not a Reply message");
        }
        if (requestId.size() != ReplyAssembler.REQUEST_ID_BYTES) {
            throw new ReplyTooLargeException("a reply of " + reply.length + " bytes has no request id");
        }
        int count = partsFor(reply.length);
        List<Frame> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = i * PART_DATA_BYTES;
            out.add(new Frame(
                    FrameType.REPLY_PART,
                    ReplyPart.newBuilder()
                            .setRequestId(requestId)
                            .setIndex(i)
                            .setCount(count)
                            .setTotalBytes(reply.length)
                            .setData(ByteString.copyFrom(reply, from, partBytes(i, reply.length)))
                            .build()
                            .toByteArray()));
        }
        return out;
    }
}
