package org.multiverse.scramble.shell.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.shell.parse.Tokenizer;

/**
 * Reads script commands: from {@code -f FILE} (and {@code #!/usr/bin/env -S scramble-shell -f}),
 * from standard input when it is not a terminal, or from {@code -c "cmd; cmd"}. Lines ending
 * in a backslash continue on the next; {@code #} starts a comment; {@code ;} separates commands
 * on one line. {@code ${NAME}} is expanded later, per command, by the tokenizer.
 */
public final class ScriptSource {

    /** Largest script read: a script is a list of commands, not data. */
    static final int MAX_SCRIPT_BYTES = 1024 * 1024;

    private ScriptSource() {}

    /** The commands of {@code -c TEXT}; the line number is the command's position. */
    public static List<ScriptLine> fromCommandText(String text) throws ShellFailure {
        List<ScriptLine> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        int n = 0;
        for (int i = 0; i < lines.length; i++) {
            for (String cmd : Tokenizer.splitCommands(lines[i])) {
                out.add(new ScriptLine("-c", ++n, cmd.strip()));
            }
        }
        return out;
    }

    public static List<ScriptLine> fromFile(Path file) throws ShellFailure {
        try (InputStream in = Files.newInputStream(file)) {
            return fromStream(file.toString(), in);
        } catch (NoSuchFileException e) {
            throw ShellFailure.usage("script " + file + " does not exist");
        } catch (IOException e) {
            throw ShellFailure.usage("cannot read script " + file + ": " + e.getMessage());
        }
    }

    public static List<ScriptLine> fromStream(String origin, InputStream in) throws ShellFailure {
        List<String> raw = new ArrayList<>();
        long bytes = 0;
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String l;
            while ((l = r.readLine()) != null) {
                bytes += l.length() + 1;
                if (bytes > MAX_SCRIPT_BYTES) {
                    throw ShellFailure.usage(origin + ": larger than " + MAX_SCRIPT_BYTES + " bytes, not a script");
                }
                raw.add(l);
            }
        } catch (IOException e) {
            throw ShellFailure.usage("cannot read " + origin + ": " + e.getMessage());
        }
        return fromLines(origin, raw);
    }

    static List<ScriptLine> fromLines(String origin, List<String> raw) throws ShellFailure {
        List<ScriptLine> out = new ArrayList<>();
        int i = 0;
        if (!raw.isEmpty() && raw.get(0).startsWith("#!")) {
            i = 1;
        }
        for (; i < raw.size(); i++) {
            int first = i + 1;
            StringBuilder joined = new StringBuilder();
            String line = raw.get(i);
            while (endsWithContinuation(line)) {
                joined.append(line, 0, line.length() - 1).append(' ');
                if (++i >= raw.size()) {
                    throw ShellFailure.usage(
                            origin + ":" + first + ": the last line ends with a continuation backslash");
                }
                line = raw.get(i);
            }
            joined.append(line);
            for (String cmd : Tokenizer.splitCommands(joined.toString())) {
                out.add(new ScriptLine(origin, first, cmd.strip()));
            }
        }
        return out;
    }

    /** An odd number of trailing backslashes: the last one escapes the line end. */
    private static boolean endsWithContinuation(String line) {
        int n = 0;
        for (int k = line.length() - 1; k >= 0 && line.charAt(k) == '\\'; k--) {
            n++;
        }
        return n % 2 == 1;
    }
}
