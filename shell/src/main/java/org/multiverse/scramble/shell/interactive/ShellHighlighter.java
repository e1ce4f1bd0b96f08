package org.multiverse.scramble.shell.interactive;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jline.reader.Highlighter;
import org.jline.reader.LineReader;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.multiverse.scramble.shell.parse.ParseException;
import org.multiverse.scramble.shell.parse.Token;
import org.multiverse.scramble.shell.parse.Tokenizer;
import org.multiverse.scramble.shell.registry.CommandRegistry;

/**
 * Colours the line as it is typed: a known verb path bold, a word that can start no command
 * (or cannot continue the verb typed so far) red, options cyan, comments faint.
 */
public final class ShellHighlighter implements Highlighter {

    private final CommandRegistry registry;

    public ShellHighlighter(CommandRegistry registry) {
        this.registry = registry;
    }

    @Override
    public AttributedString highlight(LineReader reader, String buffer) {
        return highlight(buffer);
    }

    /** The styled line (also for tests: {@link AttributedString#styleAt} tells a word's colour). */
    public AttributedString highlight(String buffer) {
        List<Token> tokens;
        try {
            tokens = Tokenizer.tokenize(buffer, name -> "");
        } catch (ParseException e) {
            return new AttributedString(buffer);
        }
        AttributedStyle[] styles = new AttributedStyle[buffer.length()];
        List<String> verb = new ArrayList<>();
        boolean verbDone = false;
        boolean shellWord = false;
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            AttributedStyle s = AttributedStyle.DEFAULT;
            if (k == 0 && CommandRegistry.SHELL_WORDS.contains(t.text())) {
                s = AttributedStyle.BOLD;
                shellWord = true;
                verbDone = true;
            } else if (!verbDone && !shellWord) {
                verb.add(t.text());
                if (registry.isVerbPrefix(verb)) {
                    s = AttributedStyle.BOLD;
                } else if (registry.longestMatch(verb).isPresent()) {
                    verbDone = true;
                    s = styleArgument(t.text());
                } else {
                    s = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
                    verbDone = true;
                }
            } else {
                s = styleArgument(t.text());
            }
            for (int c = t.start(); c < t.end() && c < styles.length; c++) {
                styles[c] = s;
            }
        }
        int comment = commentStart(buffer, tokens);
        AttributedStringBuilder b = new AttributedStringBuilder();
        for (int c = 0; c < buffer.length(); c++) {
            AttributedStyle s = c >= comment
                    ? AttributedStyle.DEFAULT.faint()
                    : styles[c] == null ? AttributedStyle.DEFAULT : styles[c];
            b.style(s).append(buffer.charAt(c));
        }
        return b.toAttributedString();
    }

    private static final Pattern OPTION = Pattern.compile("--?[A-Za-z].*");

    private static AttributedStyle styleArgument(String text) {
        return OPTION.matcher(text).matches()
                ? AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN)
                : AttributedStyle.DEFAULT;
    }

    private static int commentStart(String buffer, List<Token> tokens) {
        int after = tokens.isEmpty() ? 0 : tokens.get(tokens.size() - 1).end();
        int hash = buffer.indexOf('#', after);
        return hash < 0 ? Integer.MAX_VALUE : hash;
    }

    @Override
    public void setErrorPattern(Pattern errorPattern) {
        // Errors are found by the registry, not by a pattern.
    }

    @Override
    public void setErrorIndex(int errorIndex) {
        // As above.
    }
}
