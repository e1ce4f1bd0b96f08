package org.multiverse.scramble.rtos.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.rtos.NodeCommands;
import org.multiverse.scramble.rtos.wire.SampleSealing;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.seal.StreamOpener;

/** Every bridge operation against a simulated node in another JVM over a real pty pair. */
class NodeOverPtyTest {

    @TempDir
    static Path dir;

    static PtyNodeHarness h;
    static final AtomicLong sequence = new AtomicLong(1);

    @BeforeAll
    static void start() throws Exception {
        h = new PtyNodeHarness(dir, "");
        h.awaitUp();
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    static long nowUnixMicros() {
        return System.currentTimeMillis() * 1000;
    }

    byte[] write(SessionKeys s, String channel, float value, long atUnix) {
        int index = channel.equals("valve") ? 4 : channel.equals("heater") ? 5 : 0;
        return NodeCommands.signedWrite(
                s,
                PtyNodeHarness.NODE_ID,
                sequence.getAndIncrement(),
                index,
                value,
                atUnix,
                nowUnixMicros() + 10_000_000);
    }

    @Test
    void helloEnrolsTheNodeAndPagesItsChannels() throws Exception {
        NodeDescription d = h.service.info(PtyNodeHarness.NODE);
        assertEquals(PtyNodeHarness.NODE_ID, d.status().nodeId());
        assertTrue(d.status().linkUp());
        assertEquals("sim-stm32f4", d.status().board());
        assertEquals(
                List.of("temp", "hum", "door", "volt", "valve", "heater"),
                d.channels().stream().map(ChannelDescription::name).toList()); // 2 pages of 4
        assertTrue(d.capabilities().containsAll(List.of("signed_write", "sealed_stream", "deadline", "failsafe")));
        String known = Files.readString(dir.resolve("state").resolve(KnownNodes.FILE));
        assertTrue(known.contains("sim sim-1 " + HexFormat.of().formatHex(d.publicKey())), known);
        assertEquals(1, h.service.list().size());
    }

    @Test
    void pingReadAndTimeSync() throws Exception {
        long rtt = h.service.ping(PtyNodeHarness.NODE);
        assertTrue(rtt > 0 && rtt < 1_000_000, "rtt " + rtt);
        Reading r = h.service.read(PtyNodeHarness.NODE, "hum");
        assertTrue(r.value() > 20 && r.value() < 60, "humidity " + r.value()); // mean 40, sd 2
        TimeSyncResult t = h.service.timeSync(PtyNodeHarness.NODE);
        assertTrue(t.roundTripMicros() > 0 && t.roundTripMicros() < 100_000, t.toString());
        assertTrue(Math.abs(t.driftPpm()) < 1_000, t.toString());
        RtosException e = assertThrows(RtosException.class, () -> h.service.read(PtyNodeHarness.NODE, "nope"));
        assertEquals(RtosException.Kind.NOT_FOUND, e.kind());
        e = assertThrows(RtosException.class, () -> h.service.ping("other"));
        assertEquals(RtosException.Kind.NOT_FOUND, e.kind());
    }

    @Test
    void signedWriteRunsAndReadsBack() throws Exception {
        byte[] cert = h.session.certificate().encode();
        WriteOutcome w =
                h.service.write(PtyNodeHarness.NODE, "heater", 12.5, 0, write(h.session, "heater", 12.5f, 0), cert);
        assertEquals(0, w.lateByMicros());
        assertEquals(12.5f, h.service.read(PtyNodeHarness.NODE, "heater").value());
    }

    @Test
    void deadlineWriteRunsAtItsTime() throws Exception {
        long at = nowUnixMicros() + 50_000;
        WriteOutcome w = h.service.write(
                PtyNodeHarness.NODE,
                "valve",
                30,
                50_000,
                write(h.session, "valve", 30f, at),
                h.session.certificate().encode());
        // Never early (the node's Unix clock is the bridge's estimate, within a few ms of the host's);
        // how late depends on the scheduler of a loaded 2-core test machine, so the bound is loose.
        long delta = w.executedAtUnixMicros() - at;
        assertTrue(delta > -5_000 && delta < 250_000, "ran at " + delta + " us from its deadline");
    }

    @Test
    void lateDeadlineIsRefusedByTheNode() throws Exception {
        long at = nowUnixMicros() - 20_000;
        RtosException e = assertThrows(
                RtosException.class,
                () -> h.service.write(
                        PtyNodeHarness.NODE,
                        "valve",
                        31,
                        1,
                        write(h.session, "valve", 31f, at),
                        h.session.certificate().encode()));
        assertEquals(RtosException.Kind.DEADLINE_MISSED, e.kind());
        assertTrue(h.service.info(PtyNodeHarness.NODE).deadlineMisses() >= 1);
    }

    @Test
    void flippedBitAnywhereInTheSignedCommandIsRefused() throws Exception {
        byte[] cert = h.session.certificate().encode();
        byte[] good = write(h.session, "valve", 7f, 0);
        // the last byte is in the signature; a byte in the middle is in the body
        for (int index : new int[] {good.length - 1, good.length - 40}) {
            byte[] bad = good.clone();
            bad[index] ^= 0x01;
            RtosException e = assertThrows(
                    RtosException.class, () -> h.service.write(PtyNodeHarness.NODE, "valve", 7, 0, bad, cert));
            assertEquals(RtosException.Kind.REFUSED_BY_NODE, e.kind(), e.toString());
            assertEquals(org.multiverse.scramble.protocol.rtos.v1.ErrorCode.BAD_SIGNATURE, e.nodeCode());
        }
    }

    @Test
    void commandSignedByAnotherKeyIsRefused() throws Exception {
        try (SessionKeys other =
                SessionKeys.create(h.root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom())) {
            // Signed by another session key but presented with the enrolled session's reference.
            byte[] forged = org.multiverse.scramble.protocol.rtos.v1.SignedCommand.newBuilder()
                    .mergeFrom(write(other, "valve", 9f, 0))
                    .setSessionRef(org.multiverse.scramble.protocol.rtos.SessionRef.of(
                            h.session.certificate().encode()))
                    .build()
                    .toByteArray();
            RtosException e = assertThrows(
                    RtosException.class,
                    () -> h.service.write(
                            PtyNodeHarness.NODE,
                            "valve",
                            9,
                            0,
                            forged,
                            h.session.certificate().encode()));
            assertEquals(org.multiverse.scramble.protocol.rtos.v1.ErrorCode.BAD_SIGNATURE, e.nodeCode());
        }
    }

    @Test
    void sessionOfAnUnenrolledRootIsRefused() throws Exception {
        try (Identity stranger = Identity.generate(new SecureRandom());
                SessionKeys s = SessionKeys.create(
                        stranger, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom())) {
            RtosException e = assertThrows(
                    RtosException.class,
                    () -> h.service.write(
                            PtyNodeHarness.NODE,
                            "valve",
                            3,
                            0,
                            write(s, "valve", 3f, 0),
                            s.certificate().encode()));
            assertEquals(RtosException.Kind.REFUSED_BY_NODE, e.kind());
            assertEquals(org.multiverse.scramble.protocol.rtos.v1.ErrorCode.BAD_CERTIFICATE, e.nodeCode());
        }
    }

    @Test
    void replayedCommandIsRefused() throws Exception {
        byte[] cert = h.session.certificate().encode();
        byte[] once = write(h.session, "valve", 11f, 0);
        h.service.write(PtyNodeHarness.NODE, "valve", 11, 0, once, cert);
        RtosException e = assertThrows(
                RtosException.class, () -> h.service.write(PtyNodeHarness.NODE, "valve", 11, 0, once, cert));
        assertEquals(org.multiverse.scramble.protocol.rtos.v1.ErrorCode.REPLAYED, e.nodeCode());
    }

    @Test
    void commandThatDoesNotMatchTheRequestIsRefusedByTheBridge() {
        byte[] cert = h.session.certificate().encode();
        RtosException e = assertThrows(
                RtosException.class,
                () -> h.service.write(PtyNodeHarness.NODE, "valve", 99, 0, write(h.session, "valve", 1f, 0), cert));
        assertEquals(RtosException.Kind.INVALID_ARGUMENT, e.kind());
        e = assertThrows(
                RtosException.class,
                () -> h.service.write(PtyNodeHarness.NODE, "temp", 1, 0, write(h.session, "temp", 1f, 0), cert));
        assertEquals(RtosException.Kind.INVALID_ARGUMENT, e.kind());
    }

    @Test
    void sealedStreamArrivesWholeAndOpensWithTheSessionKey() throws Exception {
        List<SealedSample> samples = new ArrayList<>();
        StreamStart[] start = new StreamStart[1];
        StreamReport report = h.service.stream(
                PtyNodeHarness.NODE, "temp", 200, 1, h.session.certificate().encode(), new SampleSink() {
                    @Override
                    public void start(StreamStart s) {
                        start[0] = s;
                    }

                    @Override
                    public void sample(SealedSample s) {
                        samples.add(s);
                    }
                });
        assertEquals(200, report.expected());
        assertEquals(0, report.lost(), report.toString());
        assertEquals(200, samples.size());
        assertArrayEquals(h.service.info(PtyNodeHarness.NODE).publicKey(), start[0].nodePublicKey());
        try (StreamOpener opener = StreamOpener.create(
                h.session.x25519Private(),
                start[0].nodePublicKey(),
                start[0].hpkeStreamId(),
                start[0].encapsulatedKey())) {
            for (SealedSample s : samples) {
                float v = SampleSealing.value(opener.open(s.sequence(), s.aad(), s.sealed()));
                assertTrue(Math.abs(v) <= 1.5f, "sine amplitude 1.5, got " + v);
            }
        }
        assertTrue(samples.get(199).last());
    }
}
