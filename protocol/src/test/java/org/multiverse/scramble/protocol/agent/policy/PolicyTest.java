package org.multiverse.scramble.protocol.agent.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;

class PolicyTest {

    private static final ScrambleId ALICE =
            Identity.generate(new SecureRandom()).id();
    private static final ScrambleId BOB = Identity.generate(new SecureRandom()).id();

    @Test
    void emptyPolicyDeniesEverything() throws Exception {
        Policy p = Policy.parse("empty", "# nothing here\n\n");
        PolicyDecision d = p.decide("agent.ping", ALICE, Scope.ALL);
        assertFalse(d.allowed());
        assertEquals("no rule matches: default deny", d.reason());
    }

    @Test
    void firstMatchWins() throws Exception {
        Policy p = Policy.parse("p", """
                portal.start  %s  deny          # Alice may not start portals
                portal.*      @any  allow rate=2/s burst=3
                *             @any  deny
                """.formatted(ALICE.text()));
        assertFalse(p.decide("portal.start", ALICE, Scope.ALL).allowed());
        assertEquals("denied by p:1", p.decide("portal.start", ALICE, Scope.ALL).reason());
        PolicyDecision bob = p.decide("portal.start", BOB, Scope.ALL);
        assertTrue(bob.allowed());
        assertEquals(2.0, bob.rate().perSecond());
        assertEquals(3, bob.rate().burst());
        assertTrue(p.decide("portal.stop", ALICE, Scope.ALL).allowed());
        assertFalse(p.decide("router.list", ALICE, Scope.ALL).allowed());
    }

    @Test
    void scopePatterns() throws Exception {
        Policy p = Policy.parse("p", """
                portal.list @scope:read-only allow
                portal.*    @scope:all       allow
                """);
        assertTrue(p.decide("portal.list", ALICE, Scope.READ_ONLY).allowed());
        assertFalse(p.decide("portal.start", ALICE, Scope.READ_ONLY).allowed());
        assertTrue(p.decide("portal.start", ALICE, Scope.ALL).allowed());
    }

    @Test
    void prefixPatternDoesNotMatchLongerSegment() throws Exception {
        Policy p = Policy.parse("p", "router.vpn.* @any allow\n");
        assertTrue(p.decide("router.vpn.use", ALICE, Scope.ALL).allowed());
        assertFalse(p.decide("router.status", ALICE, Scope.ALL).allowed());
    }

    @Test
    void optionsAreKept() throws Exception {
        Policy p = Policy.parse("p", "share.link @any allow roots=/srv/a:/srv/b\n");
        assertEquals(
                "/srv/a:/srv/b",
                p.decide("share.link", ALICE, Scope.ALL).options().get("roots"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "portal.start @any", // missing verdict
                "portal.start @any maybe", // bad verdict
                "portal.strat @any allow", // typo: matches no command
                "Portal.start @any allow", // bad pattern
                "portal.start @nobody allow", // unknown identity pattern
                "portal.start scr1notanid allow", // bad Scramble ID
                "portal.start @scope:admin allow", // unknown scope
                "portal.start @any allow rate=fast", // bad rate
                "portal.start @any allow rate=5", // rate without /s
                "portal.start @any allow burst=-1", // bad burst
                "portal.start @any allow colour=blue", // unknown option
                "portal.start @any allow rate=1/s rate=2/s", // duplicate option
                "portal.start @any deny rate=1/s", // deny with a rate
                "portal.start @any allow roots", // option without value
            })
    void brokenLinesAreRefusedWithFileAndLine(String bad) {
        PolicyException e = assertThrows(
                PolicyException.class,
                () -> Policy.parse("agent.policy", "# header\nagent.ping @any allow\n" + bad + "\n"));
        assertTrue(e.getMessage().startsWith("agent.policy:3: "), e.getMessage());
    }

    @Test
    void oversizedLineRefused() {
        String line = "agent.ping @any allow note=" + "x".repeat(Policy.MAX_LINE_CHARS);
        PolicyException e = assertThrows(PolicyException.class, () -> Policy.parse("f", line));
        assertTrue(e.getMessage().contains("f:1: line longer"), e.getMessage());
    }

    @Test
    void loadsFromFileAndRefusesBrokenFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("agent.policy");
        Files.writeString(f, "agent.* @any allow\n");
        assertTrue(Policy.load(f).decide("agent.ping", ALICE, Scope.ALL).allowed());
        Files.writeString(f, "agent.* @any allow\nnonsense\n");
        PolicyException e = assertThrows(PolicyException.class, () -> Policy.load(f));
        assertTrue(e.getMessage().startsWith(f + ":2: "), e.getMessage());
        Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, 'a'});
        assertThrows(PolicyException.class, () -> Policy.load(f));
    }

    @Test
    void shippedSamplePolicyParses() throws Exception {
        Path sample = Path.of("..", "protocol", "agent.policy.sample");
        if (!Files.exists(sample)) {
            sample = Path.of("agent.policy.sample");
        }
        Policy p = Policy.load(sample);
        assertTrue(p.rules().size() > 3);
        assertFalse(p.decide("portal.start", ALICE, Scope.READ_ONLY).allowed());
    }
}
