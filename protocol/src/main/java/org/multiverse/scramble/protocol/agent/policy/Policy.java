package org.multiverse.scramble.protocol.agent.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.keyfile.PrivateFiles;

/**
 * An agent's command policy, in the spirit of Qubes' qrexec policy: one rule per line,
 * <pre>
 *   COMMAND-PATTERN  IDENTITY-PATTERN  allow|deny  [rate=N/s] [burst=N] [key=value ...]
 * </pre>
 * {@code #} starts a comment. The first matching rule wins; when none matches, the
 * command is denied. Immutable; a reload builds a new one.
 */
public final class Policy {

    /** A policy file larger than this is a mistake, not a policy. */
    static final long MAX_FILE_BYTES = 1 << 20;
    /** Longest accepted line; longer ones are refused rather than truncated. */
    static final int MAX_LINE_CHARS = 4096;
    /** Option keys a rule may carry; anything else is most likely a typo. */
    static final List<String> KNOWN_OPTIONS = List.of("roots", "note");

    private final List<PolicyRule> rules;

    private Policy(List<PolicyRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The policy that denies everything (what an agent has before any file is read). */
    public static Policy denyAll() {
        return new Policy(List.of());
    }

    /**
     * Reads and parses a policy file; refuses a broken one with file:line and the reason, and
     * one that another user could change ({@link PrivateFiles#requireStrictModes}).
     */
    public static Policy load(Path file) throws PolicyException {
        try {
            // Whoever can write the policy decides what every session may do (sshd's StrictModes).
            PrivateFiles.requireStrictModes(file, "policy file", PrivateFiles.Owner.SELF_OR_ROOT);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new PolicyException(file + ": cannot read: no such file", e);
        } catch (IOException e) {
            throw new PolicyException(e.getMessage(), e);
        }
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new PolicyException(file.toString(), 0, "file larger than " + MAX_FILE_BYTES + " bytes");
            }
            return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (java.nio.charset.MalformedInputException e) {
            throw new PolicyException(file + ": not valid UTF-8", e);
        } catch (IOException e) {
            throw new PolicyException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses policy text; {@code source} names it in error messages. */
    public static Policy parse(String source, String text) throws PolicyException {
        List<PolicyRule> rules = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i];
            if (line.length() > MAX_LINE_CHARS) {
                throw new PolicyException(source, lineNo, "line longer than " + MAX_LINE_CHARS + " characters");
            }
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            rules.add(parseRule(source, lineNo, line));
        }
        return new Policy(rules);
    }

    private static PolicyRule parseRule(String source, int lineNo, String line) throws PolicyException {
        String[] f = line.split("[ \\t]+");
        if (f.length < 3) {
            throw new PolicyException(
                    source,
                    lineNo,
                    "expected COMMAND-PATTERN IDENTITY-PATTERN allow|deny [options], got '" + line + "'");
        }
        try {
            CommandPattern command = CommandPattern.parse(f[0]);
            IdentityPattern identity = IdentityPattern.parse(f[1]);
            boolean allow = switch (f[2]) {
                case "allow" -> true;
                case "deny" -> false;
                default -> throw new IllegalArgumentException("expected allow or deny, got '" + f[2] + "'");
            };
            Double rate = null;
            Long burst = null;
            Map<String, String> options = new LinkedHashMap<>();
            for (int k = 3; k < f.length; k++) {
                int eq = f[k].indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("expected key=value, got '" + f[k] + "'");
                }
                String key = f[k].substring(0, eq);
                String value = f[k].substring(eq + 1);
                if (options.containsKey(key)
                        || (key.equals("rate") && rate != null)
                        || (key.equals("burst") && burst != null)) {
                    throw new IllegalArgumentException("option '" + key + "' given twice");
                }
                switch (key) {
                    case "rate" -> rate = parseRate(value);
                    case "burst" -> burst = parseCount(value);
                    default -> {
                        if (!KNOWN_OPTIONS.contains(key)) {
                            throw new IllegalArgumentException("unknown option '" + key + "' (known: rate, burst, "
                                    + String.join(", ", KNOWN_OPTIONS) + ")");
                        }
                        options.put(key, value);
                    }
                }
            }
            if (!allow && (rate != null || burst != null)) {
                throw new IllegalArgumentException("a deny rule takes no rate or burst");
            }
            RateSpec spec = RateSpec.DEFAULT;
            if (rate != null || burst != null) {
                double r = rate != null ? rate : RateSpec.DEFAULT.perSecond();
                long b = burst != null ? burst : Math.max(1, (long) Math.ceil(r));
                spec = new RateSpec(r, b);
            }
            return new PolicyRule(source, lineNo, command, identity, allow, spec, Map.copyOf(options));
        } catch (IllegalArgumentException e) {
            throw new PolicyException(source, lineNo, e.getMessage());
        }
    }

    private static double parseRate(String value) {
        if (!value.matches("[0-9]{1,7}(\\.[0-9]{1,3})?/s")) {
            throw new IllegalArgumentException("rate must look like 5/s or 0.5/s, got '" + value + "'");
        }
        return Double.parseDouble(value.substring(0, value.length() - 2));
    }

    private static long parseCount(String value) {
        if (!value.matches("[0-9]{1,7}")) {
            throw new IllegalArgumentException("burst must be a whole number, got '" + value + "'");
        }
        return Long.parseLong(value);
    }

    /** First matching rule wins; no match is a deny. */
    public PolicyDecision decide(String commandName, ScrambleId root, Scope scope) {
        for (PolicyRule rule : rules) {
            if (rule.commandPattern().matches(commandName)
                    && rule.identityPattern().matches(root, scope)) {
                return new PolicyDecision(rule.allow(), Optional.of(rule));
            }
        }
        return new PolicyDecision(false, Optional.empty());
    }

    /** The rules, in file order. */
    public List<PolicyRule> rules() {
        return rules;
    }
}
