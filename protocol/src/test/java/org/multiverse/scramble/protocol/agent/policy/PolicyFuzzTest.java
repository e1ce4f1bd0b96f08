package org.multiverse.scramble.protocol.agent.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.multiverse.scramble.protocol.agent.CommandName;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * Fuzzes {@link Policy#parse}, the agent's reading of its policy file. For any text it either
 * refuses with a {@link PolicyException} naming a line of the text, or returns rules that each
 * come from a distinct non-blank line, carry a valid rate, and can be asked about every known
 * command without failing. Seeds: {@code src/test/resources/.../PolicyFuzzTestInputs/
 * parsesOrRefusesWithALine/}.
 */
class PolicyFuzzTest {

    private static final ScrambleId SOMEONE =
            Identity.generate(new SecureRandom()).id();

    @FuzzTest(maxDuration = "2m")
    void parsesOrRefusesWithALine(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int lines = text.split("\n", -1).length;
        Policy policy;
        try {
            policy = Policy.parse("fuzz.policy", text);
        } catch (PolicyException e) {
            assertTrue(e.getMessage().startsWith("fuzz.policy"), e.getMessage());
            return;
        }
        assertTrue(policy.rules().size() <= lines);
        int previousLine = 0;
        for (PolicyRule rule : policy.rules()) {
            assertTrue(rule.line() > previousLine && rule.line() <= lines, rule.where());
            previousLine = rule.line();
            assertTrue(rule.rate().perSecond() > 0 && rule.rate().burst() >= 1);
            assertFalse(!rule.allow() && !rule.rate().equals(RateSpec.DEFAULT), "a deny rule with a rate");
            assertTrue(Policy.KNOWN_OPTIONS.containsAll(rule.options().keySet()), "" + rule.options());
        }
        for (String command : CommandName.all()) {
            for (Scope scope : Scope.values()) {
                PolicyDecision d = policy.decide(command, SOMEONE, scope);
                assertEquals(d.allowed(), d.rule().map(PolicyRule::allow).orElse(false));
            }
        }
    }
}
