package org.multiverse.scramble.suite.words;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecoveryWordsTest {

    @Test
    void wordListIsTheOfficialBip39EnglishList() throws Exception {
        byte[] content;
        try (InputStream in = RecoveryWords.class.getResourceAsStream(RecoveryWords.WORDLIST_RESOURCE)) {
            content = in.readAllBytes();
        }
        assertEquals(
                "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        assertEquals(2048, RecoveryWords.wordList().size());
        assertEquals("abandon", RecoveryWords.wordList().get(0));
        assertEquals("zoo", RecoveryWords.wordList().get(2047));
    }

    /** Official BIP-39 test vectors (trezor/python-mnemonic vectors.json) for 32-byte entropy. */
    @ParameterizedTest
    @CsvSource({
        "0000000000000000000000000000000000000000000000000000000000000000, abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art",
        "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f, legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth title",
        "8080808080808080808080808080808080808080808080808080808080808080, letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff, zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote",
        "68a79eaca2324873eacc50cb9c6eca8cc68ea5d936f98787c60c7ebc74e6ce7c, hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel tennis maple dilemma loan word shrug inflict delay length",
        "9f6a2878b2520799a44ef18bc7df394e7061a224d2c33cd015b157d746869863, panda eyebrow bullet gorilla call smoke muffin taste mesh discover soft ostrich alcohol speed nation flash devote level hobby quick inner drive ghost inside",
        "066dca1a2bb7e8a1db2832148ce9933eea0f3ac9548d793112d9a95c9407efad, all hour make first leader extend hole alien behind guard gospel lava path output census museum junior mass reopen famous sing advance salt reform",
        "f585c11aec520db57dd353c69554b21a89b20fb0650966fa0a9d6f74fd989d8f, void come effort suffer camp survey warrior heavy shoot primary clutch crush open amazing screen patrol group space point ten exist slush involve unfold",
    })
    void matchesOfficialVectors(String entropyHex, String phrase) throws Exception {
        byte[] entropy = HexFormat.of().parseHex(entropyHex);
        List<String> words = List.of(phrase.split(" "));
        assertEquals(words, RecoveryWords.encode(entropy));
        assertArrayEquals(entropy, RecoveryWords.decode(words));
    }

    @Test
    void randomSeedsRoundTrip() throws Exception {
        Random random = new Random(39);
        for (int i = 0; i < 300; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            List<String> words = RecoveryWords.encode(seed);
            assertEquals(24, words.size());
            assertArrayEquals(seed, RecoveryWords.decode(words));
        }
    }

    @Test
    void caseAndSurroundingSpacesAreForgiven() throws Exception {
        byte[] seed = new byte[32];
        new Random(1).nextBytes(seed);
        List<String> messy = new ArrayList<>();
        for (String w : RecoveryWords.encode(seed)) {
            messy.add("  " + w.toUpperCase() + "\t");
        }
        assertArrayEquals(seed, RecoveryWords.decode(messy));
    }

    private static InvalidRecoveryWordsException failure(List<String> words) {
        return assertThrows(InvalidRecoveryWordsException.class, () -> RecoveryWords.decode(words));
    }

    @Test
    void unknownWordIsNamedWithItsPosition() {
        byte[] seed = new byte[32];
        List<String> words = new ArrayList<>(RecoveryWords.encode(seed));
        words.set(6, "abandun");
        InvalidRecoveryWordsException e = failure(words);
        assertEquals("word 7 (\"abandun\") is not in the BIP-39 English word list", e.getMessage());
        assertEquals(7, e.position());

        words.set(6, "x".repeat(100_000));
        assertEquals(
                "word 7 (\"" + "x".repeat(16) + "…\") is not in the BIP-39 English word list",
                failure(words).getMessage());
        words.set(6, null);
        assertEquals(
                "word 7 (\"\") is not in the BIP-39 English word list",
                failure(words).getMessage());
        words.set(6, "ab\u001b[2Jc");
        assertEquals(
                "word 7 (\"ab?[2jc\") is not in the BIP-39 English word list",
                failure(words).getMessage());
    }

    @Test
    void wrongCountIsNamed() {
        List<String> words = RecoveryWords.encode(new byte[32]);
        assertEquals(
                "expected 24 recovery words, got 23",
                failure(words.subList(0, 23)).getMessage());
        List<String> longer = new ArrayList<>(words);
        longer.add("zoo");
        assertEquals("expected 24 recovery words, got 25", failure(longer).getMessage());
        assertEquals("expected 24 recovery words, got 0", failure(List.of()).getMessage());
        // A valid 12-word BIP-39 phrase is still not a Scramble seed.
        assertEquals(
                "expected 24 recovery words, got 12",
                failure(Arrays.asList(
                                "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
                                        .split(" ")))
                        .getMessage());
    }

    @Test
    void wrongOrSwappedWordGivesChecksumMismatch() {
        List<String> words = new ArrayList<>(RecoveryWords.encode(new byte[32]));
        words.set(23, "zoo");
        InvalidRecoveryWordsException e = failure(words);
        assertEquals("checksum mismatch: every word is known, but one is wrong or two are swapped", e.getMessage());
        assertEquals(0, e.position());

        byte[] seed = new byte[32];
        new Random(5).nextBytes(seed);
        List<String> swapped = new ArrayList<>(RecoveryWords.encode(seed));
        int a = 0;
        int b = 1;
        while (swapped.get(a).equals(swapped.get(b))) {
            b++;
        }
        String t = swapped.get(a);
        swapped.set(a, swapped.get(b));
        swapped.set(b, t);
        assertThrows(InvalidRecoveryWordsException.class, () -> RecoveryWords.decode(swapped));
    }

    @Test
    void encodeRefusesWrongSeedLength() {
        assertThrows(IllegalArgumentException.class, () -> RecoveryWords.encode(new byte[16]));
    }
}
