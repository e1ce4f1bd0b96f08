package org.multiverse.scramble.protocol.envelope;

import com.google.protobuf.WireFormat;

/**
 * What one field of a wire message may hold: its wire type and, for bytes and strings,
 * the allowed length in bytes.
 *
 * @param number protobuf field number
 * @param name field name as in the .proto file
 * @param wireType expected protobuf wire type
 * @param minLength smallest length when present (length-delimited fields only)
 * @param maxLength largest length (length-delimited fields only)
 * @param optional whether the field may be absent (empty) even though {@code minLength > 0}
 * @param utf8 whether the bytes must be valid UTF-8 (string fields)
 */
record FieldRule(int number, String name, int wireType, int minLength, int maxLength, boolean optional, boolean utf8) {

    static FieldRule varint(int number, String name) {
        return new FieldRule(number, name, WireFormat.WIRETYPE_VARINT, 0, 0, true, false);
    }

    /** A bytes field that must be present with a length in [min, max]. */
    static FieldRule bytes(int number, String name, int min, int max) {
        return new FieldRule(number, name, WireFormat.WIRETYPE_LENGTH_DELIMITED, min, max, false, false);
    }

    /** A bytes field that is either absent or exactly {@code length} bytes long. */
    static FieldRule optionalBytes(int number, String name, int length) {
        return new FieldRule(number, name, WireFormat.WIRETYPE_LENGTH_DELIMITED, length, length, true, false);
    }

    /** A UTF-8 string field with a byte length in [min, max]; min 0 means optional. */
    static FieldRule string(int number, String name, int min, int max) {
        return new FieldRule(number, name, WireFormat.WIRETYPE_LENGTH_DELIMITED, min, max, min == 0, true);
    }

    boolean lengthDelimited() {
        return wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    /** Null when {@code length} is acceptable, else why not. */
    String lengthProblem(long length) {
        if (length == 0 && optional) {
            return null;
        }
        if (minLength == maxLength && length != minLength) {
            return "must be exactly " + minLength + " bytes, got " + length;
        }
        if (length < minLength) {
            return length == 0 ? "is missing" : "must be at least " + minLength + " bytes, got " + length;
        }
        if (length > maxLength) {
            return "must be at most " + maxLength + " bytes, got " + length;
        }
        return null;
    }
}
