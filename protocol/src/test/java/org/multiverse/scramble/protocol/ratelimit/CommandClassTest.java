package org.multiverse.scramble.protocol.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.v1.Command;

class CommandClassTest {

    @Test
    void everyCommandInTheSchemaHasAClass() {
        int commands = 0;
        for (FieldDescriptor field : Command.getDescriptor().getOneofs().get(0).getFields()) {
            Command.KindCase kind = Command.KindCase.forNumber(field.getNumber());
            assertNotNull(kind, field.getName());
            assertNotNull(CommandClass.of(kind), field.getName());
            commands++;
        }
        assertEquals(Command.KindCase.values().length - 1, commands); // all but KIND_NOT_SET
    }

    @Test
    void unknownCommandIsChargedAsTheCheapestClass() {
        assertEquals(CommandClass.QUERY, CommandClass.of(Command.KindCase.KIND_NOT_SET));
    }

    @Test
    void stateChangingCommandsAreNeverQueries() {
        Set<Command.KindCase> changing = EnumSet.of(
                Command.KindCase.PORTAL_DEFINE,
                Command.KindCase.PORTAL_UNDEFINE,
                Command.KindCase.PORTAL_START,
                Command.KindCase.PORTAL_STOP,
                Command.KindCase.PORTAL_KILL,
                Command.KindCase.PORTAL_PAUSE,
                Command.KindCase.PORTAL_RESUME,
                Command.KindCase.PORTAL_RESET,
                Command.KindCase.PORTAL_SNAPSHOT,
                Command.KindCase.PORTAL_REVERT,
                Command.KindCase.SHARE_LINK,
                Command.KindCase.SHARE_UNLINK,
                Command.KindCase.ROUTER_RESTART,
                Command.KindCase.ROUTER_RESET,
                Command.KindCase.VPN_USE,
                Command.KindCase.TOR_NEWNYM,
                Command.KindCase.RTOS_WRITE,
                Command.KindCase.RTOS_STREAM,
                Command.KindCase.RTOS_TIME_SYNC,
                Command.KindCase.REVOKE_SESSIONS,
                Command.KindCase.RELOAD_POLICY,
                Command.KindCase.AGENT_SUBSCRIBE);
        for (Command.KindCase kind : changing) {
            assertNotNull(CommandClass.of(kind));
            org.junit.jupiter.api.Assertions.assertNotEquals(CommandClass.QUERY, CommandClass.of(kind), kind.name());
        }
        assertEquals(CommandClass.LIFECYCLE, CommandClass.of(Command.KindCase.PORTAL_START));
        assertEquals(CommandClass.SHARE, CommandClass.of(Command.KindCase.SHARE_LINK));
        assertEquals(CommandClass.ROUTER, CommandClass.of(Command.KindCase.TOR_NEWNYM));
        assertEquals(CommandClass.RTOS, CommandClass.of(Command.KindCase.RTOS_READ));
        assertEquals(CommandClass.AGENT, CommandClass.of(Command.KindCase.AUDIT_VERIFY));
        assertEquals(CommandClass.QUERY, CommandClass.of(Command.KindCase.PORTAL_LIST));
    }
}
