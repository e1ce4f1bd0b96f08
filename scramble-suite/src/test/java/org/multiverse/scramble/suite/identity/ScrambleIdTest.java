package org.multiverse.scramble.suite.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScrambleIdTest {

    /** RFC 8032 TEST 1 public key: a fixed, known-valid curve point. */
    private static final byte[] KEY =
            HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

    private static ScrambleId sample(long seed) {
        byte[] s = new byte[32];
        new Random(seed).nextBytes(s);
        try (Identity identity = Identity.fromSeed(s)) {
            return identity.id();
        }
    }

    @Test
    void textFormHasPrefixFixedLengthAndLowerCaseBase32() {
        String text = ScrambleId.of(KEY).text();
        assertEquals(60, text.length());
        assertTrue(text.startsWith("scr1"));
        assertTrue(text.substring(4).matches("[a-z2-7]{56}"), text);
        // The public key is the first 32 of the 35 encoded bytes.
        assertEquals(Base32.encode(java.util.Arrays.copyOf(KEY, 35)).substring(0, 51), text.substring(4, 55));
    }

    @Test
    void roundTripsThroughText() throws Exception {
        for (long seed = 0; seed < 50; seed++) {
            ScrambleId id = sample(seed);
            ScrambleId parsed = ScrambleId.parse(id.text());
            assertEquals(id, parsed);
            assertEquals(id.hashCode(), parsed.hashCode());
            assertArrayEquals(id.publicKey(), parsed.publicKey());
            assertEquals(id.text(), parsed.toString());
        }
    }

    @Test
    void everySingleCharacterChangeIsRefused() {
        for (long seed = 100; seed < 103; seed++) {
            String text = sample(seed).text();
            List<String> accepted = new ArrayList<>();
            for (int i = 0; i < text.length(); i++) {
                for (char c : (Base32.ALPHABET + "SCR18!").toCharArray()) {
                    if (c == text.charAt(i)) {
                        continue;
                    }
                    String changed = text.substring(0, i) + c + text.substring(i + 1);
                    try {
                        ScrambleId.parse(changed);
                        accepted.add(changed);
                    } catch (InvalidScrambleIdException expected) {
                        // refused, as it must be
                    }
                }
            }
            assertTrue(accepted.isEmpty(), "accepted mistyped IDs: " + accepted);
        }
    }

    @Test
    void shortFormIsPrefixAndEightCharacters() {
        ScrambleId id = ScrambleId.of(KEY);
        assertEquals(12, id.shortForm().length());
        assertEquals(id.text().substring(0, 12), id.shortForm());
    }

    @Test
    void publicKeyIsACopy() {
        ScrambleId id = ScrambleId.of(KEY);
        id.publicKey()[0] ^= 1;
        assertArrayEquals(KEY, id.publicKey());
        byte[] mine = KEY.clone();
        ScrambleId other = ScrambleId.of(mine);
        mine[0] ^= 1;
        assertEquals(id, other);
    }

    @Test
    void differentKeysAreDifferentIds() {
        assertNotEquals(sample(1), sample(2));
        assertNotEquals(sample(1).text(), sample(2).text());
    }

    @Test
    void ofRefusesWrongLengthAndNonPoints() {
        assertEquals(
                "an Ed25519 public key is 32 bytes, not 31",
                assertThrows(IllegalArgumentException.class, () -> ScrambleId.of(new byte[31]))
                        .getMessage());
        byte[] notAPoint = new byte[32];
        notAPoint[0] = 2;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScrambleId.of(notAPoint))
                .getMessage()
                .contains("not a point"));
    }

    private static String error(String text) {
        return assertThrows(InvalidScrambleIdException.class, () -> ScrambleId.parse(text))
                .getMessage();
    }

    @Test
    void eachParseErrorSaysWhatIsWrong() {
        String good = ScrambleId.of(KEY).text();
        assertEquals("empty Scramble ID", error(""));
        assertEquals("empty Scramble ID", error(null));
        assertEquals("not a Scramble ID: it must start with \"scr1\"", error("xyz1" + good.substring(4)));
        assertEquals("not a Scramble ID: it must start with \"scr1\"", error(good.substring(4)));
        assertEquals("wrong length: a Scramble ID has 60 characters, this one has 59", error(good.substring(0, 59)));
        assertEquals("wrong length: a Scramble ID has 60 characters, this one has 61", error(good + "a"));
        assertEquals("wrong length: a Scramble ID has 60 characters, this one has 61", error(good + " "));

        String withOne = good.substring(0, 9) + "1" + good.substring(10);
        assertEquals("bad character '1' at position 10: only a-z and 2-7 are used", error(withOne));
        String upper = good.substring(0, 20) + Character.toUpperCase(good.charAt(20)) + good.substring(21);
        if (Character.isLetter(good.charAt(20))) {
            assertEquals(
                    "bad character '" + Character.toUpperCase(good.charAt(20))
                            + "' at position 21: only a-z and 2-7 are used (Scramble IDs are lower case)",
                    error(upper));
        }
        String withSpace = good.substring(0, 30) + " " + good.substring(31);
        assertEquals("bad character U+0020 at position 31: only a-z and 2-7 are used", error(withSpace));
        String withNul = good.substring(0, 59) + "\0";
        assertEquals("bad character U+0000 at position 60: only a-z and 2-7 are used", error(withNul));
    }

    @Test
    void unknownVersionIsNamed() {
        // Re-encode the same key and a correct checksum but version 2.
        String good = ScrambleId.of(KEY).text();
        byte[] raw = Base32.decode(good.substring(4));
        raw[34] = 2;
        String v2 = "scr1" + Base32.encode(raw);
        assertTrue(error(v2).startsWith("unknown Scramble ID version 2 (this program knows version 1)"), error(v2));
    }

    @Test
    void checksumMismatchSaysACharacterIsMistyped() {
        String good = ScrambleId.of(KEY).text();
        byte[] raw = Base32.decode(good.substring(4));
        raw[32] ^= 0x01;
        assertEquals("checksum mismatch: a character is mistyped", error("scr1" + Base32.encode(raw)));
    }

    @Test
    void hostileStringsOnlyEverGiveInvalidScrambleIdException() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            int length = random.nextBoolean() ? 60 : random.nextInt(200);
            StringBuilder s = new StringBuilder(random.nextBoolean() ? "scr1" : "");
            while (s.length() < length) {
                s.append(
                        random.nextInt(4) == 0
                                ? (char) random.nextInt(0x3000)
                                : Base32.ALPHABET.charAt(random.nextInt(32)));
            }
            assertThrows(InvalidScrambleIdException.class, () -> ScrambleId.parse(s.toString()));
        }
    }
}
