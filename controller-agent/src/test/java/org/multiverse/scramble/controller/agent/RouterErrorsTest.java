package org.multiverse.scramble.controller.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.multiverse.scramble.controller.router.RouterException;
import org.multiverse.scramble.protocol.agent.CommandException;
import org.multiverse.scramble.protocol.v1.ErrorCode;

class RouterErrorsTest {

    @ParameterizedTest
    @CsvSource({
        "NOT_FOUND,NOT_FOUND",
        "INVALID_ARGUMENT,INVALID_ARGUMENT",
        "FAILED_PRECONDITION,FAILED_PRECONDITION",
        "UNAVAILABLE,UNAVAILABLE",
        "INTERNAL,INTERNAL"
    })
    void eachKindHasItsCodeAndKeepsTheMessage(RouterException.Kind kind, ErrorCode code) {
        RouterException cause = new RouterException(kind, "router star is down");
        CommandException e = RouterErrors.toCommandException(cause);
        assertEquals(code, e.code());
        assertEquals("router star is down", e.getMessage());
        assertSame(cause, e.getCause());
    }

    @Test
    void noTwoKindsShareACode() {
        Set<ErrorCode> codes = EnumSet.allOf(RouterException.Kind.class).stream()
                .map(RouterErrors::code)
                .collect(Collectors.toSet());
        assertEquals(RouterException.Kind.values().length, codes.size());
    }
}
