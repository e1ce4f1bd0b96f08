package org.multiverse.scramble.controller.tor;

import java.util.HashMap;
import java.util.Map;

/**
 * Tor's answer to {@code GETINFO status/bootstrap-phase}, e.g.
 * {@code NOTICE BOOTSTRAP PROGRESS=0 TAG=starting SUMMARY="Starting"}.
 */
public record BootstrapPhase(String severity, int progress, String tag, String summary, String raw) {
    /**
     * Parses the value.
     *
     * @throws TorControlException if it is not a bootstrap status line
     */
    public static BootstrapPhase parse(String value) throws TorControlException {
        String[] head = value.split(" ", 3);
        if (head.length < 3 || !head[1].equals("BOOTSTRAP")) {
            throw new TorControlException(0, "unexpected bootstrap status: not 'SEVERITY BOOTSTRAP ...'");
        }
        if (!head[0].equals("NOTICE") && !head[0].equals("WARN") && !head[0].equals("ERR")) {
            throw new TorControlException(0, "unexpected bootstrap severity");
        }
        Map<String, String> args = KeywordArgs.parse(head[2]);
        String progress = args.get("PROGRESS");
        if (progress == null
                || progress.isEmpty()
                || progress.length() > 3
                || !progress.chars().allMatch(Character::isDigit)
                || Integer.parseInt(progress) > 100) {
            throw new TorControlException(0, "bootstrap status without a PROGRESS of 0..100");
        }
        return new BootstrapPhase(
                head[0],
                Integer.parseInt(progress),
                args.getOrDefault("TAG", ""),
                args.getOrDefault("SUMMARY", ""),
                value);
    }

    /** Keyword=value pairs with optional quoted strings (control-spec §2.1 QuotedString). */
    static final class KeywordArgs {
        private KeywordArgs() {}

        static Map<String, String> parse(String text) throws TorControlException {
            Map<String, String> out = new HashMap<>();
            int i = 0;
            while (i < text.length()) {
                if (text.charAt(i) == ' ') {
                    i++;
                    continue;
                }
                int eq = text.indexOf('=', i);
                int sp = text.indexOf(' ', i);
                if (eq < 0 || (sp >= 0 && sp < eq)) {
                    // A bare word (e.g. "METHODS" lists are keyword=value; flags have no value).
                    int end = sp < 0 ? text.length() : sp;
                    out.put(text.substring(i, end), "");
                    i = end;
                    continue;
                }
                String key = text.substring(i, eq);
                i = eq + 1;
                StringBuilder value = new StringBuilder();
                if (i < text.length() && text.charAt(i) == '"') {
                    i++;
                    boolean closed = false;
                    while (i < text.length()) {
                        char c = text.charAt(i++);
                        if (c == '\\') {
                            if (i >= text.length()) {
                                break;
                            }
                            value.append(text.charAt(i++));
                        } else if (c == '"') {
                            closed = true;
                            break;
                        } else {
                            value.append(c);
                        }
                    }
                    if (!closed) {
                        throw new TorControlException(0, "unterminated quoted string for " + key);
                    }
                } else {
                    int end = text.indexOf(' ', i);
                    end = end < 0 ? text.length() : end;
                    value.append(text, i, end);
                    i = end;
                }
                out.put(key, value.toString());
            }
            return out;
        }
    }
}
