package org.multiverse.scramble.shell.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.words.InvalidRecoveryWordsException;
import org.multiverse.scramble.suite.words.RecoveryWords;

/**
 * {@code scramble-shell id init|show|recover|export}: the person's root identity.
 * <ul>
 * <li>{@code init}: a new identity; prints the Scramble ID and the 24 recovery words, once.</li>
 * <li>{@code show}: the ID, its short form and where the key file is.</li>
 * <li>{@code export}: the ID alone on one line, for an agent's {@code authorize}.</li>
 * <li>{@code recover}: the identity again from its 24 words, under a new passphrase.</li>
 * <li>{@code session-export FILE}: unlocks once and writes a {@link SessionFile} for scripts.</li>
 * </ul>
 */
public final class IdentityCommands {

    /** Lines read while collecting recovery words: 24 words fit in a few; more is not a person typing words. */
    static final int MAX_WORD_LINES = 48;

    private final IdentityStore store;
    private final PassphraseSource passphrases;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    public IdentityCommands(IdentityStore store, PassphraseSource passphrases, PrintStream out, PrintStream err) {
        this(store, passphrases, out, err, Clock.systemUTC());
    }

    /** @param clock starts exported sessions */
    public IdentityCommands(
            IdentityStore store, PassphraseSource passphrases, PrintStream out, PrintStream err, Clock clock) {
        this.store = store;
        this.passphrases = passphrases;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    /** Runs {@code id SUBCOMMAND}; returns the exit code. */
    public int run(List<String> args, InputStream in) throws ShellFailure {
        if (args.isEmpty()) {
            throw ShellFailure.usage("usage: scramble-shell id init|show|export|recover|session-export FILE");
        }
        if (args.get(0).equals("session-export")) {
            if (args.size() != 2) {
                throw ShellFailure.usage("usage: scramble-shell id session-export FILE");
            }
            sessionExport(Path.of(args.get(1)));
            return ExitCodes.OK;
        }
        if (args.size() > 1) {
            throw ShellFailure.usage("id " + args.get(0) + " takes no arguments (unexpected '" + args.get(1) + "')");
        }
        switch (args.get(0)) {
            case "init" -> init();
            case "show" -> show();
            case "export" -> export();
            case "recover" -> recover(in);
            case "lock" ->
                throw ShellFailure.usage(
                        "id lock is for the interactive shell: a script's session " + "ends when the script does");
            default ->
                throw ShellFailure.usage("unknown id command '" + args.get(0)
                        + "'; expected init, show, export, recover or session-export");
        }
        return ExitCodes.OK;
    }

    void init() throws ShellFailure {
        if (store.exists()) {
            throw ShellFailure.usage(store.keyFile() + " already exists; move it away first (it holds an identity)");
        }
        try (Identity identity = IdentityStore.generate()) {
            writeNew(identity);
            byte[] seed = identity.seedCopy();
            List<String> words;
            try {
                words = RecoveryWords.encode(seed);
            } finally {
                Arrays.fill(seed, (byte) 0);
            }
            out.println("Scramble ID: " + identity.id().text());
            out.println("Key file:    " + store.keyFile());
            out.println();
            out.println("Recovery words (shown ONCE; write them down and keep them offline):");
            for (int i = 0; i < words.size(); i++) {
                out.printf(Locale.ROOT, "%2d. %-10s%s", i + 1, words.get(i), (i % 4 == 3) ? "\n" : "  ");
            }
            out.println();
            out.println("Authorise this ID on an agent with:  AGENT authorize --state-dir DIR "
                    + identity.id().text());
        }
    }

    void show() throws ShellFailure {
        ScrambleId id = publicId();
        out.println("Scramble ID: " + id.text());
        out.println("Short form:  " + id.shortForm());
        out.println("Key file:    " + store.keyFile());
    }

    void export() throws ShellFailure {
        out.println(publicId().text());
    }

    /** Unlocks the root once, certifies a new session for {@link SessionKeys#DEFAULT_VALIDITY} and writes it. */
    void sessionExport(Path file) throws ShellFailure {
        SessionKeys session;
        try (Identity root = store.unlock(passphrases)) {
            session = SessionKeys.create(root, Scope.ALL, SessionKeys.DEFAULT_VALIDITY, clock, new SecureRandom());
        }
        try {
            SessionFile.write(file, session);
            out.println("Session " + session.certificate().sessionIdShort() + " written to " + file + ", valid until "
                    + Instant.ofEpochMilli(session.certificate().notAfterMillis()));
            out.println("Use it with:  --session " + file + "   or   export SCRAMBLE_SESSION=" + file);
        } finally {
            session.destroy();
        }
    }

    void recover(InputStream in) throws ShellFailure {
        if (store.exists()) {
            throw ShellFailure.usage(store.keyFile() + " already exists; move it away before recovering into it");
        }
        err.println("Type the 24 recovery words, separated by spaces or new lines:");
        List<String> words = readWords(in);
        byte[] seed;
        try {
            seed = RecoveryWords.decode(words);
        } catch (InvalidRecoveryWordsException e) {
            throw ShellFailure.usage("recovery words: " + e.getMessage());
        }
        try (Identity identity = Identity.fromSeed(seed)) {
            writeNew(identity);
            out.println("Recovered Scramble ID: " + identity.id().text());
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private void writeNew(Identity identity) throws ShellFailure {
        char[] passphrase =
                passphrases.fresh("New passphrase for " + store.keyFile().getFileName() + ": ");
        byte[] seed = identity.seedCopy();
        try {
            store.create(seed, identity.id(), passphrase, err);
        } finally {
            Arrays.fill(seed, (byte) 0);
            Arrays.fill(passphrase, '\0');
        }
    }

    private ScrambleId publicId() throws ShellFailure {
        var id = store.publicId();
        if (id.isPresent()) {
            return id.get();
        }
        store.requireKeyFile();
        try (Identity identity = store.unlock(passphrases)) {
            return identity.id();
        }
    }

    static List<String> readWords(InputStream in) throws ShellFailure {
        List<String> words = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try {
            for (int lines = 0; lines < MAX_WORD_LINES && words.size() < RecoveryWords.WORD_COUNT; lines++) {
                String line = reader.readLine();
                if (line == null) {
                    break;
                }
                for (String w : line.strip().split("\\s+")) {
                    if (!w.isEmpty()) {
                        words.add(w.toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (IOException e) {
            throw ShellFailure.failed("cannot read the recovery words: " + e.getMessage());
        }
        if (words.size() != RecoveryWords.WORD_COUNT) {
            throw ShellFailure.usage(
                    "recovery words: expected " + RecoveryWords.WORD_COUNT + " words, got " + words.size());
        }
        return words;
    }
}
