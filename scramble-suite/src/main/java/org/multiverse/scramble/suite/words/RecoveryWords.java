package org.multiverse.scramble.suite.words;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A 32-byte seed written as 24 BIP-39 English words, and back.
 *
 * <p>BIP-39 for 256 bits of entropy: append the first byte of SHA-256(seed) as a
 * checksum (264 bits), cut into 24 groups of 11 bits, each an index into the
 * 2048-word list. Any BIP-39 tool gives the same words for the same 32 bytes
 * (no passphrase or PBKDF2 stretching is involved: the words ARE the seed).
 */
public final class RecoveryWords {

    /** Words in a phrase for a 32-byte seed. */
    public static final int WORD_COUNT = 24;
    /** Seed length in bytes. */
    public static final int SEED_LENGTH = 32;

    static final int LIST_SIZE = 2048;
    static final String WORDLIST_RESOURCE = "bip39-english.txt";
    /** Longest word in the list is 8 letters; anything much longer is not a word, and is not echoed back whole. */
    private static final int MAX_ECHOED_WORD = 16;

    private static final List<String> WORDS = loadWordList();

    private RecoveryWords() {}

    /** The 2048 words, in list order. */
    public static List<String> wordList() {
        return WORDS;
    }

    /** The 24 words of a 32-byte seed. */
    public static List<String> encode(byte[] seed32) {
        Objects.requireNonNull(seed32, "seed32");
        if (seed32.length != SEED_LENGTH) {
            throw new IllegalArgumentException("a seed is " + SEED_LENGTH + " bytes, not " + seed32.length);
        }
        byte[] bits = Arrays.copyOf(seed32, SEED_LENGTH + 1);
        try {
            bits[SEED_LENGTH] = sha256(seed32)[0];
            List<String> words = new ArrayList<>(WORD_COUNT);
            for (int i = 0; i < WORD_COUNT; i++) {
                words.add(WORDS.get(index(bits, i)));
            }
            return Collections.unmodifiableList(words);
        } finally {
            Arrays.fill(bits, (byte) 0);
        }
    }

    /**
     * The seed of 24 words. Words are matched ignoring case and surrounding
     * spaces.
     *
     * @throws InvalidRecoveryWordsException naming the wrong count, the first
     *         unknown word and its position, or "checksum mismatch"
     */
    public static byte[] decode(List<String> words) throws InvalidRecoveryWordsException {
        Objects.requireNonNull(words, "words");
        if (words.size() != WORD_COUNT) {
            throw new InvalidRecoveryWordsException(
                    "expected " + WORD_COUNT + " recovery words, got " + words.size(), 0);
        }
        byte[] bits = new byte[SEED_LENGTH + 1];
        try {
            for (int i = 0; i < WORD_COUNT; i++) {
                String raw = words.get(i);
                String word = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
                int index = Collections.binarySearch(WORDS, word);
                if (index < 0) {
                    throw new InvalidRecoveryWordsException(
                            "word " + (i + 1) + " (\"" + echo(word) + "\") is not in the BIP-39 English word list",
                            i + 1);
                }
                setIndex(bits, i, index);
            }
            byte[] seed = Arrays.copyOf(bits, SEED_LENGTH);
            if (sha256(seed)[0] != bits[SEED_LENGTH]) {
                Arrays.fill(seed, (byte) 0);
                throw new InvalidRecoveryWordsException(
                        "checksum mismatch: every word is known, but one is wrong or two are swapped", 0);
            }
            return seed;
        } finally {
            Arrays.fill(bits, (byte) 0);
        }
    }

    /** The 11-bit group number {@code i} of {@code bits}, most significant bit first. */
    private static int index(byte[] bits, int i) {
        int value = 0;
        for (int b = i * 11; b < i * 11 + 11; b++) {
            value = (value << 1) | ((bits[b >>> 3] >>> (7 - (b & 7))) & 1);
        }
        return value;
    }

    private static void setIndex(byte[] bits, int i, int value) {
        for (int k = 0; k < 11; k++) {
            if (((value >>> (10 - k)) & 1) != 0) {
                int b = i * 11 + k;
                bits[b >>> 3] |= (byte) (0x80 >>> (b & 7));
            }
        }
    }

    private static String echo(String word) {
        String shown = word.length() > MAX_ECHOED_WORD ? word.substring(0, MAX_ECHOED_WORD) + "…" : word;
        StringBuilder safe = new StringBuilder();
        shown.codePoints().forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return safe.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }

    private static List<String> loadWordList() {
        try (InputStream in = RecoveryWords.class.getResourceAsStream(WORDLIST_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + WORDLIST_RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> words = new ArrayList<>(LIST_SIZE);
            for (String line; (line = reader.readLine()) != null; ) {
                words.add(line.strip());
            }
            if (words.size() != LIST_SIZE) {
                throw new IllegalStateException(
                        WORDLIST_RESOURCE + " has " + words.size() + " words, not " + LIST_SIZE);
            }
            for (int i = 1; i < words.size(); i++) {
                if (words.get(i - 1).compareTo(words.get(i)) >= 0) {
                    // decode() relies on binary search.
                    throw new IllegalStateException(WORDLIST_RESOURCE + " is not sorted at line " + (i + 1));
                }
            }
            return List.copyOf(words);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
