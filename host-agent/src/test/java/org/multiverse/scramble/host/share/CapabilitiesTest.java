package org.multiverse.scramble.host.share;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiverse.scramble.host.share.Refusals.assertRefused;

import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    private static final int ADMIN = Capabilities.CAP_SYS_ADMIN;

    @Test
    void readsBit21OfTheEffectiveSet() throws ShareException {
        assertTrue(Capabilities.hasEffective("Name:\tjava\nCapEff:\t000001ffffffffff\n", ADMIN));
        assertTrue(Capabilities.hasEffective("CapEff:\t0000000000200000", ADMIN));
        assertFalse(Capabilities.hasEffective("CapEff:\t00000000001fffff\n", ADMIN));
        assertFalse(Capabilities.hasEffective("CapEff:\t0000000000000000\n", ADMIN));
        // The permitted and bounding sets do not count: only effective capabilities act.
        assertFalse(
                Capabilities.hasEffective("CapPrm:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\nCapEff:\t0\n", ADMIN));
    }

    @Test
    void refusesStatusTextWithoutAWellFormedLine() {
        ShareException.Kind internal = ShareException.Kind.INTERNAL;
        assertRefused(internal, "no CapEff line", () -> Capabilities.hasEffective("Name:\tx\n", ADMIN));
        assertRefused(internal, "malformed CapEff", () -> Capabilities.hasEffective("CapEff:\n", ADMIN));
        assertRefused(internal, "malformed CapEff", () -> Capabilities.hasEffective("CapEff:\tzz\n", ADMIN));
        assertRefused(internal, "malformed CapEff", () -> Capabilities.hasEffective("CapEff:\t-1\n", ADMIN));
        assertRefused(
                internal,
                "malformed CapEff",
                () -> Capabilities.hasEffective("CapEff:\t" + "f".repeat(17) + "\n", ADMIN));
    }
}
