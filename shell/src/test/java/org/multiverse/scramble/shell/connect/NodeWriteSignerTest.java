package org.multiverse.scramble.shell.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.rtos.SessionRef;
import org.multiverse.scramble.protocol.rtos.v1.NodeCommand;
import org.multiverse.scramble.protocol.rtos.v1.SignedCommand;
import org.multiverse.scramble.protocol.v1.RtosChannelInfo;
import org.multiverse.scramble.protocol.v1.RtosInfoResult;
import org.multiverse.scramble.protocol.v1.RtosNodeInfo;
import org.multiverse.scramble.protocol.v1.RtosWrite;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.sign.SignatureContext;

/** The node command inside an {@code rtos write}: what is signed, by whom, and what is refused. */
class NodeWriteSignerTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123456Z");
    private static final long T0_MICROS = 1_772_366_400_123_456L;

    private final SecureRandom rnd = new SecureRandom();
    private final Identity person = Identity.generate(rnd);
    private final SessionKeys session =
            SessionKeys.create(person, Scope.ALL, Duration.ofHours(1), Clock.fixed(T0, ZoneOffset.UTC), rnd);
    private final MutableClock clock = new MutableClock(T0);
    private final NodeWriteSigner signer = new NodeWriteSigner(session, clock);

    /** The bridge's name for the node differs from the node's own ID, as on a real bench. */
    private static final RtosInfoResult INFO = RtosInfoResult.newBuilder()
            .setNode(RtosNodeInfo.newBuilder().setName("bench-1"))
            .setNodeId("stm32-0042")
            .addChannels(RtosChannelInfo.newBuilder().setName("temp"))
            .addChannels(RtosChannelInfo.newBuilder().setName("valve").setWritable(true))
            .addChannels(RtosChannelInfo.newBuilder().setName("heater").setWritable(true))
            .build();

    private static RtosWrite write(String channel, double value, long atOffsetMicros) {
        return RtosWrite.newBuilder()
                .setNode("bench-1")
                .setChannel(channel)
                .setValue(value)
                .setAtOffsetMicros(atOffsetMicros)
                .build();
    }

    private SignedCommand signed(RtosWrite w) throws Exception {
        return SignedCommand.parseFrom(w.getNodeCommand());
    }

    @Test
    void signsTheNodesIdTheChannelsIndexAndTheFloatWithTheSessionKey() throws Exception {
        RtosWrite out = signer.sign(write("heater", 12.5, 0), INFO);
        assertEquals("bench-1", out.getNode());
        assertEquals("heater", out.getChannel());
        assertEquals(12.5, out.getValue());
        assertEquals(0, out.getAtOffsetMicros());

        SignedCommand s = signed(out);
        assertEquals(SessionRef.of(session.certificate().encode()), s.getSessionRef());
        assertTrue(
                session.certificate()
                        .verifySessionSignature(
                                SignatureContext.RTOS_COMMAND,
                                s.getBody().toByteArray(),
                                s.getSignature().toByteArray()),
                "signed by the session key");
        assertFalse(
                session.certificate()
                        .verifySessionSignature(
                                SignatureContext.ENVELOPE,
                                s.getBody().toByteArray(),
                                s.getSignature().toByteArray()),
                "under the rtos context only");

        NodeCommand body = NodeCommand.parseFrom(s.getBody());
        assertEquals("stm32-0042", body.getNodeId(), "the node's ID, not the bridge's name");
        assertEquals(2, body.getWrite().getChannel(), "heater is the third channel");
        assertEquals(12.5f, body.getWrite().getValue());
        assertEquals(0, body.getWrite().getAtUnixMicros(), "no --at: runs on arrival");
        assertEquals(T0_MICROS + NodeWriteSigner.VALIDITY.toNanos() / 1000, body.getNotAfterUnixMicros());
        assertTrue(body.getSequence() >= T0_MICROS, "sequence starts at the time in microseconds");
    }

    @Test
    void aDeadlineIsNowPlusTheOffsetAtTheTimeOfSigning() throws Exception {
        clock.advance(Duration.ofMillis(7));
        RtosWrite out = signer.sign(write("valve", -3.25, 50_000), INFO);
        assertEquals(50_000, out.getAtOffsetMicros());
        NodeCommand body = NodeCommand.parseFrom(signed(out).getBody());
        assertEquals(T0_MICROS + 7_000 + 50_000, body.getWrite().getAtUnixMicros());
        assertEquals(1, body.getWrite().getChannel());
        assertEquals(-3.25f, body.getWrite().getValue());
    }

    @Test
    void sequencesRiseStrictlyPerNodeEvenWhenTheClockStandsStillOrGoesBack() throws Exception {
        long a = NodeCommand.parseFrom(
                        signed(signer.sign(write("heater", 1, 0), INFO)).getBody())
                .getSequence();
        long b = NodeCommand.parseFrom(
                        signed(signer.sign(write("heater", 2, 0), INFO)).getBody())
                .getSequence();
        clock.advance(Duration.ofSeconds(-10));
        long c = NodeCommand.parseFrom(
                        signed(signer.sign(write("heater", 3, 0), INFO)).getBody())
                .getSequence();
        assertEquals(T0_MICROS, a);
        assertEquals(a + 1, b);
        assertEquals(b + 1, c);

        RtosInfoResult other = INFO.toBuilder().setNodeId("other-node").build();
        long d = NodeCommand.parseFrom(
                        signed(signer.sign(write("heater", 4, 0), other)).getBody())
                .getSequence();
        assertEquals(T0_MICROS - 10_000_000, d, "another node has its own sequence");
    }

    @Test
    void aChannelTheNodeDoesNotHaveIsRefusedNamingTheChannelsItHas() {
        ShellFailure f = assertThrows(ShellFailure.class, () -> signer.sign(write("fan", 1, 0), INFO));
        assertEquals(ExitCodes.FAILED, f.exitCode());
        assertEquals("node bench-1 has no channel fan (channels: temp, valve, heater)", f.getMessage());
    }

    @Test
    void channelNamesFromTheAgentAreStrippedOfEscapesInTheError() {
        RtosInfoResult hostile = INFO.toBuilder()
                .addChannels(RtosChannelInfo.newBuilder().setName("x\u001b]0;owned\u0007y\u001b[2J"))
                .build();
        ShellFailure f = assertThrows(ShellFailure.class, () -> signer.sign(write("fan", 1, 0), hostile));
        assertTrue(f.getMessage().endsWith("heater, xy)"), f.getMessage());
    }

    @Test
    void aNodeWithoutAnIdCannotBeSignedFor() {
        ShellFailure f = assertThrows(
                ShellFailure.class,
                () -> signer.sign(
                        write("heater", 1, 0), INFO.toBuilder().clearNodeId().build()));
        assertTrue(f.getMessage().contains("names no node ID"), f.getMessage());
    }

    @Test
    void aValueThatIsNotExactlyAFloatIsRefusedRatherThanChanged() {
        ShellFailure f = assertThrows(ShellFailure.class, () -> signer.sign(write("heater", 0.1, 0), INFO));
        assertEquals(ExitCodes.USAGE, f.exitCode());
        assertEquals("0.1 is not exactly a 32-bit float: the node would get 0.10000000149011612", f.getMessage());
    }

    @Test
    void aNodeIdTooLongForTheNodesBufferIsRefused() {
        RtosInfoResult huge = INFO.toBuilder().setNodeId("n".repeat(80)).build();
        ShellFailure f = assertThrows(ShellFailure.class, () -> signer.sign(write("heater", 1, 0), huge));
        assertTrue(f.getMessage().startsWith("cannot sign a write for node bench-1: command body of "), f.getMessage());
    }

    @Test
    void infoIsReusedForItsTtlAndForgottenOnRequest() {
        assertTrue(signer.cached("bench-1").isEmpty());
        signer.remember("bench-1", INFO);
        assertEquals(INFO, signer.cached("bench-1").orElseThrow());
        clock.advance(NodeWriteSigner.INFO_TTL.minusMillis(1));
        assertTrue(signer.cached("bench-1").isPresent());
        clock.advance(Duration.ofMillis(1));
        assertTrue(signer.cached("bench-1").isEmpty(), "stale after the TTL");

        signer.remember("bench-1", INFO);
        signer.forget("bench-1");
        assertTrue(signer.cached("bench-1").isEmpty());
        assertTrue(signer.cached("other").isEmpty());
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
