package org.multiverse.scramble.shell.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import org.multiverse.scramble.protocol.text.EscapeStripper;

/**
 * A protobuf message as JSON for {@code --json}, with the field names of the {@code .proto}
 * files (snake_case), which are the stable, documented names. Unlike protobuf's JsonFormat
 * every field is present, defaults included (a script need not know proto3's "absent means
 * zero"); of a oneof only the set member appears. Enums are their names, bytes base64, 64-bit
 * unsigned integers exact. Strings are stripped of terminal escapes like everything else the
 * agents say.
 */
public final class ProtoJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ProtoJson() {}

    public static ObjectNode toJson(Message m) {
        ObjectNode o = F.objectNode();
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            if (f.getRealContainingOneof() != null && !m.hasField(f)) {
                continue;
            }
            if (f.isMapField()) {
                ObjectNode map = F.objectNode();
                for (Object e : (List<?>) m.getField(f)) {
                    MapEntry<?, ?> entry = (MapEntry<?, ?>) e;
                    FieldDescriptor vf = f.getMessageType().findFieldByNumber(2);
                    map.set(EscapeStripper.strip(String.valueOf(entry.getKey())), value(vf, entry.getValue()));
                }
                o.set(f.getName(), map);
            } else if (f.isRepeated()) {
                ArrayNode a = F.arrayNode();
                for (Object v : (List<?>) m.getField(f)) {
                    a.add(value(f, v));
                }
                o.set(f.getName(), a);
            } else {
                o.set(f.getName(), value(f, m.getField(f)));
            }
        }
        return o;
    }

    private static JsonNode value(FieldDescriptor f, Object v) {
        return switch (f.getJavaType()) {
            case MESSAGE -> toJson((Message) v);
            case STRING -> F.textNode(EscapeStripper.strip((String) v));
            case BYTE_STRING -> F.textNode(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
            case ENUM -> F.textNode(((EnumValueDescriptor) v).getName());
            case BOOLEAN -> F.booleanNode((Boolean) v);
            case INT ->
                f.getType() == FieldDescriptor.Type.UINT32 || f.getType() == FieldDescriptor.Type.FIXED32
                        ? F.numberNode(Integer.toUnsignedLong((Integer) v))
                        : F.numberNode((Integer) v);
            case LONG ->
                f.getType() == FieldDescriptor.Type.UINT64 || f.getType() == FieldDescriptor.Type.FIXED64
                        ? F.numberNode(new BigInteger(Long.toUnsignedString((Long) v)))
                        : F.numberNode((Long) v);
            case FLOAT -> F.numberNode((Float) v);
            case DOUBLE -> Double.isFinite((Double) v) ? F.numberNode((Double) v) : F.textNode(String.valueOf(v));
        };
    }
}
