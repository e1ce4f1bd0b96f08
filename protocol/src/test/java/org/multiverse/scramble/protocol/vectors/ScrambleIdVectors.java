package org.multiverse.scramble.protocol.vectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.InvalidScrambleIdException;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * Writes {@code scramble-ids.json}: identities from seeds (seed, Ed25519 public key, checksum,
 * text, the X25519 reply key derived from the seed) and texts {@code ScrambleId.parse} must
 * refuse, each with the exact message it gives.
 */
final class ScrambleIdVectors {

    static final String FILE = "scramble-ids.json";

    /** RFC 8032 section 7.1 TEST 1 secret key: ties the ID's key to a published Ed25519 vector. */
    private static final byte[] RFC8032_TEST1_SEED =
            HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    /** Version byte of the text form generation that does not exist (yet). */
    private static final int FUTURE_VERSION = 2;

    /**
     * How the parser's message starts for each kind of invalid text: a vector whose mutation hits
     * a different check than its flag says is a generator bug, caught while generating.
     */
    private static final Map<String, String> MESSAGE_STARTS = Map.of(
            "Empty", "empty Scramble ID",
            "BadPrefix", "not a Scramble ID",
            "BadLength", "wrong length",
            "BadCharacter", "bad character",
            "UpperCase", "bad character",
            "BadVersion", "unknown Scramble ID version",
            "BadChecksum", "checksum mismatch",
            "NotACurvePoint", "not a valid Ed25519 public key");

    private ScrambleIdVectors() {}

    static String generate() {
        VectorFile file = new VectorFile(
                "Scramble ID text form v1",
                List.of(
                        "A Scramble ID is an Ed25519 public key; its text is \"scr1\" + base32(key(32) || checksum(2) || version(1)),",
                        "lower-case RFC 4648 base32 without padding, 60 characters; checksum = SHA3-256(\".scramble checksum\" || key || version)[0..2].",
                        "The same seed also gives the identity's X25519 key for sealed replies: HKDF-SHA256(ikm = seed, salt = none,",
                        "info = \"scramble/v1/identity/x25519-from-seed\", 32 bytes) is the X25519 secret.",
                        "Invalid texts carry the exception and the exact message ScrambleId.parse gives (the message is diagnostic: see README.md)."));
        file.note("Valid", "A seed and the identity it gives; the text must parse back to the public key.")
                .note(
                        "Rfc8032Key",
                        "The seed is RFC 8032 section 7.1 TEST 1's secret key, so the public key is the RFC's.")
                .note("EdgeSeed", "An all-zero or all-ones seed: any 32 bytes are a valid Ed25519 seed.")
                .note("Empty", "The empty text.")
                .note(
                        "BadPrefix",
                        "The text does not start with \"scr1\" exactly (missing, other generation, upper case, leading space).")
                .note("BadLength", "The text is not 60 characters.")
                .note("BadCharacter", "A character outside a-z and 2-7 (0, 1, 8, 9, padding, punctuation, non-ASCII).")
                .note(
                        "UpperCase",
                        "An upper-case letter: Scramble IDs are lower case only, so each has exactly one spelling.")
                .note(
                        "BadVersion",
                        "The version byte (the last 5 bits of the last character, and 3 of the one before) is not 1.")
                .note("BadChecksum", "A mistyped character: the checksum does not match the key and version.")
                .note("NotACurvePoint", "Checksum and version are right, but the 32 bytes are not an Ed25519 point.");
        validGroup(file);
        invalidGroup(file);
        return file.render();
    }

    private static void validGroup(VectorFile file) {
        VectorFile.Group group = file.group(
                "ScrambleIdFromSeed",
                "Identity.fromSeed(seed): the Ed25519 public key is RFC 8032's from the seed; text() is its Scramble ID.",
                g -> {});
        valid(
                group,
                "the person's root (seed 0x00..0x1f), used by every other file",
                List.of("Valid"),
                FixedInputs.ROOT_SEED);
        valid(group, "the agent (seed 0x20..0x3f), used by every other file", List.of("Valid"), FixedInputs.AGENT_SEED);
        valid(
                group,
                "a stranger's root (seed 0xc0..0xdf), authorised nowhere",
                List.of("Valid"),
                FixedInputs.STRANGER_SEED);
        valid(group, "RFC 8032 TEST 1", List.of("Valid", "Rfc8032Key"), RFC8032_TEST1_SEED);
        valid(group, "all-zero seed", List.of("Valid", "EdgeSeed"), new byte[32]);
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xff);
        valid(group, "all-ones seed", List.of("Valid", "EdgeSeed"), ones);
    }

    private static void valid(VectorFile.Group group, String comment, List<String> flags, byte[] seed) {
        try (Identity identity = Identity.fromSeed(seed)) {
            ScrambleId id = identity.id();
            byte[] key = id.publicKey();
            ObjectNode t = group.test(comment, flags);
            t.put("seed", VectorJson.hex(seed));
            t.put("publicKey", VectorJson.hex(key));
            t.put("checksum", VectorJson.hex(ScrambleIdSpec.checksum(key, ScrambleId.VERSION)));
            t.put("version", ScrambleId.VERSION);
            t.put("raw", VectorJson.hex(ScrambleIdSpec.raw(key, ScrambleId.VERSION)));
            t.put("text", id.text());
            t.put("shortForm", id.shortForm());
            t.put("x25519Secret", VectorJson.hex(identity.x25519Private().getEncoded()));
            t.put("x25519PublicKey", VectorJson.hex(identity.x25519PublicKey()));
            t.put("result", "valid");
        }
    }

    private static void invalidGroup(VectorFile file) {
        VectorFile.Group group = file.group(
                "ScrambleIdParse",
                "ScrambleId.parse(text) must throw InvalidScrambleIdException with exactly this message.",
                g -> {});
        String good;
        byte[] key;
        try (Identity root = Identity.fromSeed(FixedInputs.ROOT_SEED)) {
            good = root.id().text();
            key = root.id().publicKey();
        }
        String body = good.substring(ScrambleIdSpec.PREFIX.length());
        invalid(group, "empty", "Empty", "");
        invalid(group, "the root's ID without its prefix", "BadPrefix", body);
        invalid(group, "another text-form generation \"scr2\"", "BadPrefix", "scr2" + body);
        invalid(group, "upper-case prefix", "BadPrefix", "SCR1" + body);
        invalid(group, "the whole ID in upper case: the prefix is checked first", "BadPrefix", good.toUpperCase());
        invalid(group, "a leading space", "BadPrefix", " " + good);
        invalid(group, "one character short", "BadLength", good.substring(0, good.length() - 1));
        invalid(group, "one character too many", "BadLength", good + "a");
        invalid(group, "a trailing newline (as read from a file)", "BadLength", good + "\n");
        invalid(group, "the body in upper case", "UpperCase", ScrambleIdSpec.PREFIX + body.toUpperCase());
        invalid(
                group,
                "'0' (not in the base32 alphabet) at position 10",
                "BadCharacter",
                ScrambleIdSpec.replaceAt(good, 10, '0'));
        invalid(group, "'1' at position 20", "BadCharacter", ScrambleIdSpec.replaceAt(good, 20, '1'));
        invalid(group, "'8' at position 30", "BadCharacter", ScrambleIdSpec.replaceAt(good, 30, '8'));
        invalid(group, "'9' at position 40", "BadCharacter", ScrambleIdSpec.replaceAt(good, 40, '9'));
        invalid(
                group,
                "base32 padding '=' as the last character",
                "BadCharacter",
                ScrambleIdSpec.replaceAt(good, good.length(), '='));
        invalid(
                group,
                "a non-ASCII letter (U+00E9) at position 5",
                "BadCharacter",
                ScrambleIdSpec.replaceAt(good, 5, '\u00e9'));
        invalid(group, "a space inside the ID at position 33", "BadCharacter", ScrambleIdSpec.replaceAt(good, 33, ' '));
        invalid(
                group,
                "a mistyped character in the key part (position 5)",
                "BadChecksum",
                ScrambleIdSpec.replaceAt(good, 5, other(good.charAt(4))));
        // Body character 52 (position 57) carries only checksum bits: bits 260..264 of the 280.
        invalid(
                group,
                "a mistyped character in the checksum part (position 57)",
                "BadChecksum",
                ScrambleIdSpec.replaceAt(good, 57, other(good.charAt(56))));
        invalid(group, "last character 'a': version 0", "BadVersion", ScrambleIdSpec.replaceAt(good, 60, 'a'));
        invalid(
                group,
                "last character 'c': version 2 (checksum not recomputed)",
                "BadVersion",
                ScrambleIdSpec.replaceAt(good, 60, 'c'));
        invalid(
                group,
                "the root's key as version 2, with version 2's checksum: a future generation",
                "BadVersion",
                ScrambleIdSpec.text(key, FUTURE_VERSION));
        invalid(group, "56 'a's: all-zero bytes, so version 0", "BadVersion", ScrambleIdSpec.PREFIX + "a".repeat(56));
        byte[] offCurve = ScrambleIdSpec.offCurveKey();
        invalid(
                group,
                "key " + VectorJson.hex(offCurve) + " is not a curve point; checksum and version are right",
                "NotACurvePoint",
                ScrambleIdSpec.text(offCurve, ScrambleId.VERSION));
    }

    private static void invalid(VectorFile.Group group, String comment, String flag, String text) {
        String message;
        try {
            ScrambleId.parse(text);
            throw new IllegalStateException("ScrambleId.parse accepted the invalid vector \"" + text + "\"");
        } catch (InvalidScrambleIdException e) {
            message = e.getMessage();
        }
        String expectedStart = MESSAGE_STARTS.get(flag);
        if (!message.startsWith(expectedStart)) {
            throw new IllegalStateException(
                    "vector \"" + comment + "\" is flagged " + flag + " but the parser says: " + message);
        }
        ObjectNode t = group.test(comment, List.of(flag));
        t.put("text", text);
        t.put("result", "invalid");
        ObjectNode error = t.putObject("error");
        error.put("exception", InvalidScrambleIdException.class.getSimpleName());
        error.put("message", message);
    }

    /** A different base32 character (the next one in the alphabet). */
    private static char other(char c) {
        String a = ScrambleIdSpec.ALPHABET;
        return a.charAt((a.indexOf(c) + 1) % a.length());
    }
}
