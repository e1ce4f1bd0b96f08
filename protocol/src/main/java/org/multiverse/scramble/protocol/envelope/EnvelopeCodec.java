package org.multiverse.scramble.protocol.envelope;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.util.List;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.reply.ReplyParts;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.Event;
import org.multiverse.scramble.protocol.v1.Heartbeat;
import org.multiverse.scramble.protocol.v1.Rejected;
import org.multiverse.scramble.protocol.v1.Reply;

/**
 * Parses the wire messages carried in frames, with an explicit size limit for every
 * field. Each problem is reported as a {@link MalformedMessageException} naming the
 * field; no protobuf or other exception escapes for any input.
 *
 * <p>The raw encoding is walked first, so an over-long field is refused before protobuf
 * copies it, a field of the wrong wire type or one that appears twice is refused (proto3
 * would silently keep the last), and then the parsed message is checked for missing
 * fields. {@code Envelope} additionally refuses unknown fields: the signature covers only
 * known fields, so an unknown one would travel unsigned. The other messages skip unknown
 * fields, so a newer peer can add some.
 *
 * <p>What the codec does not judge: whether the protocol version is supported, the
 * timestamp fresh, the certificate valid or the signature right. Those are the agent's
 * checks, with their own error codes.
 *
 * <p>Stateless and thread-safe.
 */
public final class EnvelopeCodec {

    /** Largest message accepted: a message is one frame's payload. */
    public static final int MAX_MESSAGE_BYTES = FrameEncoder.DEFAULT_MAX_PAYLOAD;
    /**
     * Session certificate upper bound. Today's encoding is 186 bytes (SessionCertificate);
     * the headroom is for a future certificate version, not for arbitrary blobs.
     */
    public static final int MAX_CERTIFICATE_BYTES = 512;
    /** A Scramble ID's text is 60 characters; the headroom is for a future ID version. */
    public static final int MAX_AGENT_ID_BYTES = 128;
    /** Request and subscription ids are 16 random bytes. */
    public static final int REQUEST_ID_BYTES = 16;
    /** Envelope.request_id's field number (wire.proto). */
    static final int REQUEST_ID_FIELD = 6;
    /** Envelope.protocol_version's field number (wire.proto). */
    static final int PROTOCOL_VERSION_FIELD = 1;
    /**
     * Serialized command bound: the largest command, a portal definition in TOML, is a few
     * KiB; 32 KiB leaves room for it and keeps an envelope well inside one frame.
     */
    public static final int MAX_COMMAND_BYTES = 32 * 1024;
    /** Ed25519 signatures are exactly 64 bytes. */
    public static final int SIGNATURE_BYTES = 64;
    /** Route names are short words ("router", "rtos"). */
    public static final int MAX_ROUTE_BYTES = 64;
    /** HPKE DHKEM(X25519) encapsulated keys are exactly 32 bytes. */
    public static final int ENC_BYTES = 32;
    /**
     * Sealed reply or event bound: the whole message must fit in a frame, so the
     * ciphertext can never be larger than one.
     */
    public static final int MAX_CIPHERTEXT_BYTES = MAX_MESSAGE_BYTES;
    /**
     * A Reply may be larger than a frame: it then crosses in REPLY_PART frames and is parsed once
     * put together (SPEC.md §8.1), up to {@link ReplyParts#MAX_REPLY_BYTES}.
     */
    public static final int MAX_REPLY_BYTES = ReplyParts.MAX_REPLY_BYTES;

    private static final MessageRules ENVELOPE = new MessageRules(
            "Envelope",
            true,
            List.of(
                    FieldRule.varint(PROTOCOL_VERSION_FIELD, "protocol_version"),
                    FieldRule.bytes(2, "session_certificate", 1, MAX_CERTIFICATE_BYTES),
                    FieldRule.string(3, "target_agent", 1, MAX_AGENT_ID_BYTES),
                    FieldRule.varint(4, "sequence"),
                    FieldRule.varint(5, "timestamp_millis"),
                    FieldRule.bytes(REQUEST_ID_FIELD, "request_id", REQUEST_ID_BYTES, REQUEST_ID_BYTES),
                    FieldRule.bytes(7, "command", 1, MAX_COMMAND_BYTES),
                    FieldRule.bytes(8, "signature", SIGNATURE_BYTES, SIGNATURE_BYTES),
                    FieldRule.string(9, "route", 0, MAX_ROUTE_BYTES)));

    private static final MessageRules REPLY = new MessageRules(
            "Reply",
            false,
            List.of(
                    FieldRule.bytes(1, "request_id", REQUEST_ID_BYTES, REQUEST_ID_BYTES),
                    FieldRule.bytes(2, "enc", ENC_BYTES, ENC_BYTES),
                    FieldRule.bytes(3, "ciphertext", 1, MAX_REPLY_BYTES),
                    FieldRule.string(4, "agent_id", 1, MAX_AGENT_ID_BYTES)));

    private static final MessageRules REJECTED = new MessageRules(
            "Rejected",
            false,
            List.of(
                    // Absent when the agent could not parse a request id from the input.
                    FieldRule.optionalBytes(1, "request_id", REQUEST_ID_BYTES), FieldRule.varint(2, "code")));

    private static final MessageRules EVENT = new MessageRules(
            "Event",
            false,
            List.of(
                    FieldRule.bytes(1, "subscription_id", REQUEST_ID_BYTES, REQUEST_ID_BYTES),
                    FieldRule.optionalBytes(2, "enc", ENC_BYTES),
                    FieldRule.varint(3, "sequence"),
                    FieldRule.bytes(4, "ciphertext", 1, MAX_CIPHERTEXT_BYTES),
                    FieldRule.string(5, "agent_id", 1, MAX_AGENT_ID_BYTES)));

    private static final MessageRules HEARTBEAT = new MessageRules(
            "Heartbeat",
            false,
            List.of(FieldRule.varint(1, "nonce"), FieldRule.varint(2, "sent_millis"), FieldRule.varint(3, "ack")));

    private EnvelopeCodec() {}

    /**
     * Parses a signed command envelope.
     *
     * @throws MalformedMessageException if a field is missing, too long, of the wrong type,
     *     duplicated or unknown, if {@code protocol_version} or {@code sequence} is 0, or if
     *     the bytes are not a protobuf message
     */
    public static Envelope parseEnvelope(byte[] bytes) {
        Envelope envelope = parse(bytes, ENVELOPE, Envelope.parser());
        if (envelope.getProtocolVersion() == 0) {
            throw ENVELOPE.malformed("protocol_version", "is missing");
        }
        if (envelope.getSequence() == 0) {
            throw ENVELOPE.malformed("sequence", "is missing (sequence numbers start at 1)");
        }
        return envelope;
    }

    /**
     * The request id of an envelope that failed {@link #parseEnvelope}, when it can still be read:
     * the first {@code request_id} field (6) of exactly {@value #REQUEST_ID_BYTES} bytes met while
     * walking the raw fields before anything unreadable. A MALFORMED refusal carries it, so that a
     * client can match the refusal to its request; it is never trusted for anything else.
     *
     * @return the 16 bytes, or empty when no such field could be read
     */
    public static java.util.Optional<com.google.protobuf.ByteString> readableRequestId(byte[] bytes) {
        return rawField(bytes, REQUEST_ID_FIELD, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED)
                .map(v -> (com.google.protobuf.ByteString) v)
                .filter(id -> id.size() == REQUEST_ID_BYTES);
    }

    /**
     * The {@code protocol_version} (field 1) of an envelope that failed {@link #parseEnvelope},
     * when it can still be read. A newer sender's envelope may carry fields this agent does not
     * know; its version says so, and it is refused as UNSUPPORTED_PROTOCOL rather than MALFORMED.
     */
    public static java.util.OptionalLong readableProtocolVersion(byte[] bytes) {
        return rawField(bytes, PROTOCOL_VERSION_FIELD, com.google.protobuf.WireFormat.WIRETYPE_VARINT)
                .map(v -> java.util.OptionalLong.of((Long) v))
                .orElse(java.util.OptionalLong.empty());
    }

    /** The first field {@code number} of {@code wireType} met while walking raw fields, if readable. */
    private static java.util.Optional<Object> rawField(byte[] bytes, int number, int wireType) {
        com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(bytes);
        try {
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    return java.util.Optional.empty();
                }
                if (com.google.protobuf.WireFormat.getTagFieldNumber(tag) == number
                        && com.google.protobuf.WireFormat.getTagWireType(tag) == wireType) {
                    return java.util.Optional.of(
                            wireType == com.google.protobuf.WireFormat.WIRETYPE_VARINT
                                    ? (Object) in.readUInt64()
                                    : in.readBytes());
                }
                if (!in.skipField(tag)) {
                    return java.util.Optional.empty();
                }
            }
        } catch (java.io.IOException | RuntimeException unreadable) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Parses a sealed reply.
     *
     * @throws MalformedMessageException if a field is missing, too long, of the wrong type or
     *     duplicated, or if the bytes are not a protobuf message
     */
    public static Reply parseReply(byte[] bytes) {
        return parse(bytes, MAX_REPLY_BYTES, REPLY, Reply.parser());
    }

    /**
     * Parses a rejection; its request id is either absent or 16 bytes.
     *
     * @throws MalformedMessageException if a field is malformed or the bytes are not protobuf
     */
    public static Rejected parseRejected(byte[] bytes) {
        return parse(bytes, REJECTED, Rejected.parser());
    }

    /**
     * Parses a sealed event. The encapsulated key is present on every event of a subscription
     * (so a lost first event loses nothing).
     *
     * @throws MalformedMessageException if a field is missing, too long, of the wrong type or
     *     duplicated, if {@code enc} is absent, or
     *     if the bytes are not a protobuf message
     */
    public static Event parseEvent(byte[] bytes) {
        Event event = parse(bytes, EVENT, Event.parser());
        // Every event carries the stream's encapsulated key, so losing the first one loses
        // nothing else (32 bytes an event).
        if (event.getEnc().isEmpty()) {
            throw EVENT.malformed("enc", "is missing");
        }
        return event;
    }

    /**
     * Parses a heartbeat.
     *
     * @throws MalformedMessageException if a field is malformed or the bytes are not protobuf
     */
    public static Heartbeat parseHeartbeat(byte[] bytes) {
        return parse(bytes, HEARTBEAT, Heartbeat.parser());
    }

    /**
     * Parses an envelope's command bytes. A command whose kind this build does not know
     * parses to {@code KIND_NOT_SET}; the agent answers it with {@code UNSUPPORTED_COMMAND},
     * so it is not malformed here.
     *
     * @throws MalformedMessageException if the bytes exceed {@link #MAX_COMMAND_BYTES} or
     *     are not a protobuf Command
     */
    public static Command parseCommand(byte[] bytes) {
        if (bytes.length > MAX_COMMAND_BYTES) {
            throw new MalformedMessageException(
                    "Command", "is " + bytes.length + " bytes, at most " + MAX_COMMAND_BYTES + " allowed");
        }
        try {
            return Command.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedMessageException("Command", "not a valid protobuf encoding");
        }
    }

    private static <M extends Message> M parse(byte[] bytes, MessageRules rules, com.google.protobuf.Parser<M> parser) {
        return parse(bytes, MAX_MESSAGE_BYTES, rules, parser);
    }

    private static <M extends Message> M parse(
            byte[] bytes, int maxBytes, MessageRules rules, com.google.protobuf.Parser<M> parser) {
        if (bytes.length > maxBytes) {
            throw rules.malformed("is " + bytes.length + " bytes, at most " + maxBytes + " allowed");
        }
        rules.checkEncoding(bytes);
        M message;
        try {
            message = parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw rules.malformed("not a valid protobuf encoding");
        }
        rules.checkParsed(message);
        return message;
    }
}
