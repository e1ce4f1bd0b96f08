package org.multiverse.scramble.rtos.wire;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.multiverse.scramble.protocol.rtos.v1.Channel;
import org.multiverse.scramble.protocol.rtos.v1.FromNode;
import org.multiverse.scramble.protocol.rtos.v1.ToNode;

/**
 * The size bounds of node.proto (node.options, WIRE.md section 3), enforced on both sides
 * so that the Java bridge accepts exactly what a nanopb firmware can hold.
 */
public final class Bounds {

    public static final int MAX_NODE_ID = 16;
    public static final int MAX_BOARD = 24;
    public static final int MAX_FIRMWARE = 16;
    public static final int MAX_CHANNEL_NAME = 12;
    public static final int MAX_UNIT = 6;
    /** A node has at most 16 channels, so a channel index fits 4 bits of firmware tables. */
    public static final int MAX_CHANNELS = 16;

    public static final int MAX_CHANNELS_PER_PAGE = 4;
    public static final int KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;
    public static final int MAX_COMMAND_BODY = org.multiverse.scramble.protocol.rtos.NodeCommands.MAX_COMMAND_BODY;
    public static final int MAX_CHUNK = 192;
    public static final int MAX_CHUNKS = 8;
    /** The largest session certificate a node accepts: 8 chunks of 192 bytes. */
    public static final int MAX_CERTIFICATE = MAX_CHUNK * MAX_CHUNKS;

    public static final int SEALED_SAMPLE_BYTES = 20;
    public static final int MAX_ERROR_DETAIL = 48;
    /** 1 kHz: one sample per millisecond is what a 921600-baud UART carries with margin. */
    public static final int MAX_HZ = 1000;

    public static final int MAX_STREAM_SECONDS = 3600;

    /** Node ids and channel names: short, lower-case, safe to show and to log. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9_-]+");

    private Bounds() {}

    /** Checks a message for the node; throws naming the first field out of bounds. */
    public static void check(ToNode m) throws WireException {
        switch (m.getKindCase()) {
            case KIND_NOT_SET -> throw malformed("ToNode without a message");
            case SESSION_CHUNK -> {
                var c = m.getSessionChunk();
                max("session_chunk.data", c.getData(), MAX_CHUNK);
                if (c.getCount() < 1 || c.getCount() > MAX_CHUNKS || c.getIndex() >= c.getCount()) {
                    throw bounds("session_chunk index/count " + c.getIndex() + "/" + c.getCount());
                }
            }
            case COMMAND -> {
                var c = m.getCommand();
                max("command.body", c.getBody(), MAX_COMMAND_BODY);
                exact("command.signature", c.getSignature(), SIGNATURE_BYTES);
            }
            case STREAM_START -> {
                var s = m.getStreamStart();
                if (s.getHz() < 1 || s.getHz() > MAX_HZ) {
                    throw bounds("stream_start.hz " + Integer.toUnsignedString(s.getHz()));
                }
                if (s.getSeconds() < 1 || s.getSeconds() > MAX_STREAM_SECONDS) {
                    throw bounds("stream_start.seconds " + Integer.toUnsignedString(s.getSeconds()));
                }
                if (s.getStreamId() == 0) {
                    throw malformed("stream_start.stream_id 0");
                }
            }
            default -> {}
        }
    }

    /** Checks a message from a node; throws naming the first field out of bounds. */
    public static void check(FromNode m) throws WireException {
        switch (m.getKindCase()) {
            case KIND_NOT_SET -> throw malformed("FromNode without a message");
            case HELLO -> {
                var h = m.getHello();
                name("hello.node_id", h.getNodeId(), MAX_NODE_ID);
                text("hello.board", h.getBoard(), MAX_BOARD);
                text("hello.firmware", h.getFirmware(), MAX_FIRMWARE);
                exact("hello.public_key", h.getPublicKey(), KEY_BYTES);
                if (h.getChannelCount() > MAX_CHANNELS) {
                    throw bounds("hello.channel_count " + Integer.toUnsignedString(h.getChannelCount()));
                }
                if (h.getClockHz() == 0) {
                    throw bounds("hello.clock_hz 0");
                }
            }
            case INFO -> {
                var i = m.getInfo();
                if (i.getChannelsCount() > MAX_CHANNELS_PER_PAGE) {
                    throw bounds("info.channels " + i.getChannelsCount());
                }
                if (i.getChannelCount() > MAX_CHANNELS) {
                    throw bounds("info.channel_count " + Integer.toUnsignedString(i.getChannelCount()));
                }
                channels(i.getChannelsList());
            }
            case STREAM_STARTED ->
                exact("stream_started.encapsulated_key", m.getStreamStarted().getEncapsulatedKey(), KEY_BYTES);
            case SAMPLE -> exact("sample.sealed", m.getSample().getSealed(), SEALED_SAMPLE_BYTES);
            case ERROR -> text("error.detail", m.getError().getDetail(), MAX_ERROR_DETAIL);
            default -> {}
        }
    }

    private static void channels(List<Channel> channels) throws WireException {
        for (Channel c : channels) {
            if (c.getIndex() >= MAX_CHANNELS) {
                throw bounds("channel.index " + Integer.toUnsignedString(c.getIndex()));
            }
            name("channel.name", c.getName(), MAX_CHANNEL_NAME);
            text("channel.unit", c.getUnit(), MAX_UNIT);
        }
    }

    private static void name(String field, String value, int max) throws WireException {
        text(field, value, max);
        if (!NAME.matcher(value).matches()) {
            throw bounds(field + " is not [a-z0-9_-]+");
        }
    }

    private static void text(String field, String value, int max) throws WireException {
        int n = value.getBytes(StandardCharsets.UTF_8).length;
        if (n > max) {
            throw bounds(field + " is " + n + " bytes, max " + max);
        }
    }

    private static void max(String field, ByteString value, int max) throws WireException {
        if (value.size() > max) {
            throw bounds(field + " is " + value.size() + " bytes, max " + max);
        }
    }

    private static void exact(String field, ByteString value, int size) throws WireException {
        if (value.size() != size) {
            throw malformed(field + " is " + value.size() + " bytes, must be " + size);
        }
    }

    private static WireException bounds(String message) {
        return new WireException(WireException.Reason.OUT_OF_BOUNDS, message);
    }

    private static WireException malformed(String message) {
        return new WireException(WireException.Reason.MALFORMED, message);
    }
}
