package org.multiverse.scramble.shell.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.parse.LineParser;
import org.multiverse.scramble.shell.registry.CommandRegistry;

/** What the person reads when a state change was interrupted by an agent restart. */
class InterruptedNoticeTest {

    private final LineParser parser = new LineParser(CommandRegistry.standard());

    @Test
    void aPortalCommandNamesItselfAndWhereToLook() throws Exception {
        Verdict v = InterruptedNotice.verdict(parser.parse("portal stop q1"));
        assertEquals("portal stop q1: interrupted by an agent restart; portal show q1 to see its state", v.message());
        assertEquals("INTERRUPTED", v.code());
        assertEquals(ExitCodes.FAILED, v.exitCode(), "not ok, and not a refusal: the outcome is unknown");
    }

    @Test
    void aRouterCommandPointsToItsStatus() throws Exception {
        assertEquals(
                "router restart star: interrupted by an agent restart; router status star to see its state",
                InterruptedNotice.message(parser.parse("router restart star")));
    }

    @Test
    void aCommandWithoutANamedSubjectSaysToCheckBeforeRunningItAgain() throws Exception {
        assertEquals(
                "router tor newnym: interrupted by an agent restart; check its state before running it again",
                InterruptedNotice.message(parser.parse("router tor newnym")));
    }
}
