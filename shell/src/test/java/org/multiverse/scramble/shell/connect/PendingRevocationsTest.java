package org.multiverse.scramble.shell.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.v1.RevokeSessions;

class PendingRevocationsTest {

    @TempDir
    Path tmp;

    private static RevokeSessions cutOff(long millis) {
        return RevokeSessions.newBuilder()
                .setIssuedBeforeMillis(millis)
                .setRootSignature(ByteString.copyFromUtf8("sig" + millis))
                .build();
    }

    @Test
    void theLatestCutOffIsOwedAndSurvivesANewInstance() throws Exception {
        PendingRevocations p = new PendingRevocations(tmp.resolve("pending_revocations"));
        p.add("router", cutOff(200));
        p.add("router", cutOff(100)); // older: covered by 200
        p.add("rtos", cutOff(150));
        PendingRevocations again = new PendingRevocations(p.file());
        assertEquals(200, again.pendingFor("router").orElseThrow().getIssuedBeforeMillis());
        assertEquals(150, again.pendingFor("rtos").orElseThrow().getIssuedBeforeMillis());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p.file())), "0600");
    }

    @Test
    void aConfirmationOfAnOlderCutOffLeavesTheNewerOneOwed() throws Exception {
        PendingRevocations p = new PendingRevocations(tmp.resolve("pending_revocations"));
        p.add("router", cutOff(200));
        p.confirmed("router", cutOff(100));
        assertTrue(p.pendingFor("router").isPresent());
        p.confirmed("router", cutOff(200));
        assertFalse(p.pendingFor("router").isPresent());
        assertFalse(Files.exists(p.file()), "nothing owed, no file");
    }

    @Test
    void aDamagedFileIsAClearErrorAndIsNotOverwritten() throws Exception {
        Path file = tmp.resolve("pending_revocations");
        Files.writeString(file, "router not-hex\n");
        PendingRevocations p = new PendingRevocations(file);
        IOException e = assertThrows(IOException.class, () -> p.add("rtos", cutOff(1)));
        assertTrue(e.getMessage().contains("pending_revocations:1"), e.getMessage());
        assertEquals("router not-hex\n", Files.readString(file));
    }
}
