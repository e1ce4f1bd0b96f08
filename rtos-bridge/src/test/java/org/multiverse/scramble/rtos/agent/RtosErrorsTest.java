package org.multiverse.scramble.rtos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.multiverse.scramble.protocol.agent.CommandException;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.rtos.link.RtosException;
import org.multiverse.scramble.rtos.link.RtosException.Kind;

class RtosErrorsTest {

    @ParameterizedTest
    @CsvSource({
        "NOT_FOUND, NOT_FOUND",
        "INVALID_ARGUMENT, INVALID_ARGUMENT",
        "UNAVAILABLE, UNAVAILABLE",
        "TIMEOUT, TIMEOUT",
        "DEADLINE_MISSED, FAILED_PRECONDITION"
    })
    void kindsMapToAgentCodes(Kind kind, ErrorCode code) {
        RtosException e = new RtosException(kind, "what happened");
        CommandException c = RtosErrors.toCommandException(e);
        assertEquals(code, c.code());
        assertSame(e, c.getCause());
    }

    @Test
    void aMissedDeadlineSaysSo() {
        CommandException c = RtosErrors.toCommandException(new RtosException(
                Kind.DEADLINE_MISSED,
                "node lab refused: DEADLINE_MISSED",
                org.multiverse.scramble.protocol.rtos.v1.ErrorCode.DEADLINE_MISSED));
        assertEquals("deadline missed: node lab refused: DEADLINE_MISSED", c.getMessage());
    }

    /** Every node refusal code has a deliberate agent code (a new wire code fails here first). */
    @Test
    void everyNodeRefusalCodeIsMapped() {
        for (org.multiverse.scramble.protocol.rtos.v1.ErrorCode wire :
                org.multiverse.scramble.protocol.rtos.v1.ErrorCode.values()) {
            if (wire == org.multiverse.scramble.protocol.rtos.v1.ErrorCode.UNRECOGNIZED) {
                continue;
            }
            ErrorCode code = RtosErrors.nodeRefusal(wire);
            ErrorCode expected = switch (wire.name()) {
                case "BAD_SIGNATURE" -> ErrorCode.BAD_SIGNATURE;
                case "BAD_CERTIFICATE" -> ErrorCode.BAD_CERTIFICATE;
                case "REPLAYED" -> ErrorCode.REPLAYED;
                case "EXPIRED" -> ErrorCode.STALE;
                case "WRONG_NODE" -> ErrorCode.WRONG_TARGET;
                case "READ_ONLY_CHANNEL", "BAD_ARGUMENT", "BAD_MESSAGE" -> ErrorCode.INVALID_ARGUMENT;
                case "UNKNOWN_CHANNEL" -> ErrorCode.NOT_FOUND;
                case "BUSY" -> ErrorCode.RESOURCE_EXHAUSTED;
                case "CLOCK_UNSYNCED" -> ErrorCode.UNAVAILABLE;
                case "SESSION_UNKNOWN", "DEADLINE_MISSED", "ERROR_UNSPECIFIED" -> ErrorCode.FAILED_PRECONDITION;
                default -> throw new AssertionError("node code " + wire + " has no agent code yet");
            };
            assertEquals(expected, code, wire.name());
        }
    }

    @Test
    void refusedByNodeUsesTheNodeCode() {
        CommandException c = RtosErrors.toCommandException(new RtosException(
                Kind.REFUSED_BY_NODE,
                "node lab refused: REPLAYED",
                org.multiverse.scramble.protocol.rtos.v1.ErrorCode.REPLAYED));
        assertEquals(ErrorCode.REPLAYED, c.code());
        assertEquals("node lab refused: REPLAYED", c.getMessage());
    }
}
