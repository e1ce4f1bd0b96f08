package org.multiverse.scramble.shell.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.v1.AgentPing;
import org.multiverse.scramble.protocol.v1.AuditVerify;
import org.multiverse.scramble.protocol.v1.AuditVerifyResult;
import org.multiverse.scramble.protocol.v1.AuditWitness;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;

class AuditWitnessesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);
    private final ScrambleId agent = Identity.generate(new SecureRandom()).id();
    private final ScrambleId other = Identity.generate(new SecureRandom()).id();

    private static byte[] head(int seed) {
        byte[] h = new byte[32];
        h[0] = (byte) seed;
        h[31] = 1;
        return h;
    }

    private static AuditWitness witness(long count, int seed) {
        return AuditWitness.newBuilder()
                .setCount(count)
                .setHead(ByteString.copyFrom(head(seed)))
                .build();
    }

    private static final Command VERIFY = Command.newBuilder()
            .setAuditVerify(AuditVerify.getDefaultInstance())
            .build();

    private static CommandOutcome answer(long entries, byte[]... heads) {
        AuditVerifyResult.Builder r = AuditVerifyResult.newBuilder().setOk(true).setEntriesChecked(entries);
        for (byte[] h : heads) {
            r.addWitnessedHeads(ByteString.copyFrom(h));
        }
        return new CommandOutcome.Ok(Result.newBuilder().setAuditVerify(r).build(), 0);
    }

    private static AuditVerifyResult verdict(CommandOutcome o) {
        return ((CommandOutcome.Ok) o).result().getAuditVerify();
    }

    @Test
    void onlyAuditVerifyIsAskedAndJudged() {
        AuditWitnesses w = AuditWitnesses.inMemory(CLOCK);
        w.observe(agent, witness(4, 4));
        Command ping = Command.newBuilder()
                .setAgentPing(AgentPing.getDefaultInstance())
                .build();
        assertSame(ping, w.ask(agent, ping));
        assertEquals(List.of(4L), w.ask(agent, VERIFY).getAuditVerify().getWitnessedCountsList());
        assertEquals(List.of(), w.ask(other, VERIFY).getAuditVerify().getWitnessedCountsList(), "per agent");
    }

    @Test
    void aSuccessfulCheckKeepsOnlyTheNewestHeadAMismatchKeepsTheEvidence() {
        AuditWitnesses w = AuditWitnesses.inMemory(CLOCK);
        w.observe(agent, witness(2, 2));
        w.observe(agent, witness(6, 6));
        w.observe(agent, witness(6, 6)); // the same head twice is one
        Command sent = w.ask(agent, VERIFY);
        AuditVerifyResult ok = verdict(w.judge(agent, sent, answer(8, head(2), head(6))));
        assertTrue(ok.getOk(), ok.getProblem());
        assertEquals(List.of(6L), w.counts(agent));

        w.observe(agent, witness(10, 10));
        sent = w.ask(agent, VERIFY);
        AuditVerifyResult bad = verdict(w.judge(agent, sent, answer(12, head(6), head(99))));
        assertFalse(bad.getOk());
        assertEquals(7, bad.getFirstBadIndex());
        assertTrue(
                bad.getProblem().contains("entries 7..10 were changed")
                        && bad.getProblem().contains("entry 6 still matches"),
                bad.getProblem());
        assertEquals(List.of(6L, 10L), w.counts(agent), "a contradicted witness is kept");

        AuditVerifyResult cut = verdict(w.judge(agent, sent, answer(8, head(6), new byte[0])));
        assertFalse(cut.getOk());
        assertEquals(9, cut.getFirstBadIndex());
        assertTrue(cut.getProblem().contains("entries 9..10 are gone"), cut.getProblem());
    }

    @Test
    void theWitnessIsBoundedKeepingTheNewestHeads() {
        AuditWitnesses w = AuditWitnesses.inMemory(CLOCK);
        for (int i = 1; i <= 200; i++) {
            w.observe(agent, witness(i, i));
        }
        List<Long> counts = w.counts(agent);
        assertTrue(counts.size() <= AuditWitnesses.MAX_PER_AGENT, counts.toString());
        assertEquals(200L, counts.get(counts.size() - 1));
        assertEquals(1L, counts.get(0), "the oldest stays too");
    }

    @Test
    void theFileIsKeptPrivateAndRefusedWhenOthersMayWriteIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("audit_witnesses");
        AuditWitnesses w = AuditWitnesses.open(file, CLOCK);
        w.observe(agent, witness(3, 3));
        w.save();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of(3L), AuditWitnesses.open(file, CLOCK).counts(agent));

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        IOException e = assertThrows(IOException.class, () -> AuditWitnesses.open(file, CLOCK));
        assertTrue(e.getMessage().contains("may be written by others"), e.getMessage());

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(file, "not a witness\n");
        e = assertThrows(IOException.class, () -> AuditWitnesses.open(file, CLOCK));
        assertTrue(e.getMessage().contains(":1: not a witness line"), e.getMessage());
    }
}
