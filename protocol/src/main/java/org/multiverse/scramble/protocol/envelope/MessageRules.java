package org.multiverse.scramble.protocol.envelope;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules for one flat wire message, checked on the raw protobuf bytes before the
 * message is parsed (so a field's length is refused before protobuf copies it, and each
 * problem names its field), then again on the parsed message (for fields that are
 * missing, which proto3 does not serialize at all).
 */
final class MessageRules {
    private final String messageName;
    private final Map<Integer, FieldRule> rules = new HashMap<>();
    private final boolean rejectUnknownFields;

    /**
     * @param rejectUnknownFields true for messages whose every byte must be understood (the
     *     signed Envelope: an unknown field would travel unsigned); false for messages a
     *     newer peer may extend
     */
    MessageRules(String messageName, boolean rejectUnknownFields, List<FieldRule> fields) {
        this.messageName = messageName;
        this.rejectUnknownFields = rejectUnknownFields;
        for (FieldRule field : fields) {
            rules.put(field.number(), field);
        }
    }

    MalformedMessageException malformed(String field, String reason) {
        return new MalformedMessageException(messageName + "." + field, reason);
    }

    MalformedMessageException malformed(String reason) {
        return new MalformedMessageException(messageName, reason);
    }

    /** Walks the raw encoding field by field; throws on the first rule broken. */
    void checkEncoding(byte[] bytes) {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        Set<Integer> seen = new HashSet<>();
        while (true) {
            int offset = in.getTotalBytesRead();
            int tag;
            try {
                tag = in.readTag();
            } catch (IOException e) {
                throw malformed("invalid field tag at byte " + offset);
            }
            if (tag == 0) {
                return;
            }
            int number = WireFormat.getTagFieldNumber(tag);
            int wireType = WireFormat.getTagWireType(tag);
            FieldRule rule = rules.get(number);
            if (rule == null) {
                skipUnknown(in, tag, number);
                continue;
            }
            if (wireType != rule.wireType()) {
                throw malformed(rule.name(), "wrong wire type " + wireType + " at byte " + offset);
            }
            // proto3 keeps the last of repeated scalars; two readers could disagree on which.
            if (!seen.add(number)) {
                throw malformed(rule.name(), "appears more than once");
            }
            if (rule.lengthDelimited()) {
                checkLengthDelimited(in, bytes, rule);
            } else {
                readVarint(in, rule);
            }
        }
    }

    /** Checks presence and lengths of the parsed message's bytes and string fields. */
    void checkParsed(Message message) {
        for (FieldRule rule : rules.values()) {
            if (!rule.lengthDelimited()) {
                continue;
            }
            FieldDescriptor descriptor = message.getDescriptorForType().findFieldByNumber(rule.number());
            Object value = message.getField(descriptor);
            long length =
                    value instanceof ByteString b ? b.size() : ((String) value).getBytes(StandardCharsets.UTF_8).length;
            String problem = rule.lengthProblem(length);
            if (problem != null) {
                throw malformed(rule.name(), problem);
            }
        }
    }

    private void skipUnknown(CodedInputStream in, int tag, int number) {
        if (rejectUnknownFields) {
            throw malformed("unknown field number " + number);
        }
        try {
            if (!in.skipField(tag)) {
                throw malformed("unexpected end-group tag for field " + number);
            }
        } catch (IOException e) {
            throw malformed("unknown field number " + number + " is truncated or invalid");
        }
    }

    private void checkLengthDelimited(CodedInputStream in, byte[] bytes, FieldRule rule) {
        int length;
        try {
            length = in.readRawVarint32();
        } catch (IOException e) {
            throw malformed(rule.name(), "invalid length");
        }
        int position = in.getTotalBytesRead();
        int remaining = bytes.length - position;
        // readRawVarint32 truncates a 64-bit varint; a negative value means a huge length.
        if (length < 0 || length > remaining) {
            throw malformed(
                    rule.name(),
                    "truncated: claims " + Integer.toUnsignedString(length) + " bytes, " + remaining + " remain");
        }
        String problem = rule.lengthProblem(length);
        if (problem != null) {
            throw malformed(rule.name(), problem);
        }
        if (rule.utf8() && !isUtf8(bytes, position, length)) {
            throw malformed(rule.name(), "not valid UTF-8");
        }
        try {
            in.skipRawBytes(length);
        } catch (IOException e) {
            throw malformed(rule.name(), "truncated");
        }
    }

    private void readVarint(CodedInputStream in, FieldRule rule) {
        try {
            in.readRawVarint64();
        } catch (IOException e) {
            throw malformed(rule.name(), "invalid varint");
        }
    }

    private static boolean isUtf8(byte[] bytes, int offset, int length) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
