package org.multiverse.scramble.rtos.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiverse.scramble.protocol.rtos.NodeCommands;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RtosChannelInfo;
import org.multiverse.scramble.protocol.v1.RtosInfoResult;
import org.multiverse.scramble.protocol.v1.RtosNodeInfo;
import org.multiverse.scramble.protocol.v1.RtosStreamReport;
import org.multiverse.scramble.protocol.v1.RtosValue;
import org.multiverse.scramble.rtos.wire.SampleSealing;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.seal.StreamOpener;

/**
 * Every {@code rtos} command through the real agent pipeline (sim: channel, signed envelope,
 * policy, audit, sealed reply) to a simulated node on a socat pty pair: what works, and what
 * each kind of bad request gets.
 */
class RtosAgentHandlersTest {

    static final String NODE = DemoNode.NAME;
    /** The demo node's default channels (WIRE.md appendix A). */
    static final int VALVE = 4;

    static final int HEATER = 5;
    /** The shell's validity window for a signed write. */
    static final long NOT_AFTER_MICROS = 30_000_000;

    @TempDir
    static Path dir;

    static RtosAgentHarness h;
    static final AtomicLong sequence = new AtomicLong(1);

    @BeforeAll
    static void start() throws Exception {
        h = new RtosAgentHarness(dir.resolve("state"));
        h.awaitNodeUp();
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    static long nowMicros() {
        return System.currentTimeMillis() * 1000;
    }

    /** A write signed by the harness's session, as the shell signs it. */
    static byte[] signed(int channel, float value, long atUnixMicros) {
        return NodeCommands.signedWrite(
                h.session,
                NODE,
                sequence.getAndIncrement(),
                channel,
                value,
                atUnixMicros,
                nowMicros() + NOT_AFTER_MICROS);
    }

    @Test
    void servesEveryRtosCommandAndOnlyThoseBesideTheAgentOnes() {
        org.multiverse.scramble.protocol.testkit.CommandCoverage.assertServesExactly(
                h.kit.core(), org.multiverse.scramble.protocol.v1.ServingAgent.RTOS);
    }

    @Test
    void listShowsTheNodeUpWithItsBoard() throws Exception {
        List<RtosNodeInfo> nodes = h.ok(RtosCommands.list()).getRtosList().getNodesList();
        assertEquals(1, nodes.size());
        RtosNodeInfo n = nodes.get(0);
        assertEquals(NODE, n.getName());
        assertTrue(n.getLinkUp());
        assertEquals("sim-stm32f4", n.getBoard());
        assertEquals("sim-1.0.0", n.getFirmware());
        assertTrue(n.getClockOffsetMicros() != 0, "the node counts from boot: its offset to Unix time is large");
    }

    @Test
    void pingMeasuresARoundTrip() throws Exception {
        long rtt = h.ok(RtosCommands.ping(NODE)).getRtosPing().getRoundTripMicros();
        assertTrue(rtt > 0 && rtt < 5_000_000, "round trip " + rtt);
        // A successful read-only query is counted into a summary entry, not written on its own (QueryAudit).
        assertTrue(h.kit.audit(1000).stream().noneMatch(r -> r.command().equals("rtos.ping")));
    }

    @Test
    void infoListsEveryChannelAndTheNodeId() throws Exception {
        RtosInfoResult info = h.ok(RtosCommands.info(NODE)).getRtosInfo();
        assertEquals(NODE, info.getNodeId());
        assertEquals(1_000_000, info.getClockHz());
        assertEquals(
                List.of("temp", "hum", "door", "volt", "valve", "heater"),
                info.getChannelsList().stream().map(RtosChannelInfo::getName).toList());
        assertEquals(
                List.of(false, false, false, false, true, true),
                info.getChannelsList().stream()
                        .map(RtosChannelInfo::getWritable)
                        .toList());
        assertEquals("C", info.getChannels(0).getUnit());
        assertTrue(info.getNode().getLinkUp());
    }

    @Test
    void readReturnsASensorValueStampedWithNodeTime() throws Exception {
        RtosValue v1 = h.ok(RtosCommands.read(NODE, "hum")).getRtosValue();
        RtosValue v2 = h.ok(RtosCommands.read(NODE, "hum")).getRtosValue();
        assertEquals("hum", v1.getChannel());
        assertTrue(v1.getValue() > 20 && v1.getValue() < 60, "humidity noise around 40: " + v1.getValue());
        assertTrue(v2.getNodeTimeMicros() > v1.getNodeTimeMicros(), "node time advances");
    }

    @Test
    void signedWriteRunsAndTheValueReadsBack() throws Exception {
        RtosValue w = h.ok(RtosCommands.write(NODE, "valve", 42.5, 0, signed(VALVE, 42.5f, 0)))
                .getRtosValue();
        assertEquals("valve", w.getChannel());
        assertEquals(42.5, w.getValue());
        assertTrue(
                Math.abs(w.getExecutedAtMicros() - nowMicros()) < 5_000_000, "executed at " + w.getExecutedAtMicros());
        assertEquals(42.5, h.ok(RtosCommands.read(NODE, "valve")).getRtosValue().getValue());
    }

    @Test
    void deadlineWriteRunsAtItsTime() throws Exception {
        long offset = 300_000;
        long at = nowMicros() + offset;
        RtosValue w = h.ok(RtosCommands.write(NODE, "heater", 7, offset, signed(HEATER, 7f, at)))
                .getRtosValue();
        long late = w.getExecutedAtMicros() - at;
        assertTrue(late > -20_000 && late < 20_000, "ran " + late + " us from its deadline (synced clocks)");
    }

    @Test
    void lateDeadlineIsRefusedByTheNode() throws Exception {
        long at = nowMicros() - 1_000_000;
        Error e = h.failed(RtosCommands.write(NODE, "heater", 3, 1, signed(HEATER, 3f, at)));
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.getCode(), e.getMessage());
        assertTrue(
                e.getMessage().startsWith("deadline missed") && e.getMessage().contains("DEADLINE_MISSED"),
                e.getMessage());
        assertEquals("FAILED_PRECONDITION", h.lastAudit().result());
    }

    @Test
    void tamperedSignatureIsRefusedByTheNode() throws Exception {
        byte[] cmd = signed(VALVE, 11f, 0);
        cmd[cmd.length - 1] ^= 0x01; // the signature is the last field
        Error e = h.failed(RtosCommands.write(NODE, "valve", 11, 0, cmd));
        assertEquals(ErrorCode.BAD_SIGNATURE, e.getCode(), e.getMessage());
        assertTrue(e.getMessage().contains("refused: BAD_SIGNATURE"), e.getMessage());
        assertEquals("BAD_SIGNATURE", h.lastAudit().result());
        assertTrue(h.ok(RtosCommands.read(NODE, "valve")).getRtosValue().getValue() != 11, "nothing executed");
    }

    @Test
    void replayedNodeCommandIsRefusedByTheNode() throws Exception {
        byte[] cmd = signed(VALVE, 12f, 0);
        h.ok(RtosCommands.write(NODE, "valve", 12, 0, cmd));
        Error e = h.failed(RtosCommands.write(NODE, "valve", 12, 0, cmd));
        assertEquals(ErrorCode.REPLAYED, e.getCode(), e.getMessage());
    }

    @Test
    void writeWithoutNodeCommandSaysTheShellMustSign() throws Exception {
        Error e = h.failed(RtosCommands.write(NODE, "valve", 1, 0, new byte[0]));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode());
        assertTrue(e.getMessage().contains("signed by the shell"), e.getMessage());
    }

    @Test
    void signedCommandThatSaysSomethingElseIsRefusedByTheBridge() throws Exception {
        Error value = h.failed(RtosCommands.write(NODE, "valve", 99, 0, signed(VALVE, 1f, 0)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, value.getCode());
        assertTrue(value.getMessage().contains("does not match the request"), value.getMessage());
        Error channel = h.failed(RtosCommands.write(NODE, "heater", 1, 0, signed(VALVE, 1f, 0)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, channel.getCode());
        Error deadline = h.failed(RtosCommands.write(NODE, "valve", 1, 500_000, signed(VALVE, 1f, 0)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, deadline.getCode(), "a deadline the signed command lacks");
    }

    @Test
    void commandSignedInAnotherSessionIsRefused() throws Exception {
        try (SessionKeys other =
                SessionKeys.create(h.root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom())) {
            byte[] cmd = NodeCommands.signedWrite(
                    other, NODE, sequence.getAndIncrement(), VALVE, 5f, 0, nowMicros() + NOT_AFTER_MICROS);
            Error e = h.failed(RtosCommands.write(NODE, "valve", 5, 0, cmd));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode());
            assertTrue(e.getMessage().contains("another session"), e.getMessage());
        }
    }

    @Test
    void garbageAndOversizedNodeCommandsAreRefused() throws Exception {
        Error garbage = h.failed(RtosCommands.write(NODE, "valve", 1, 0, new byte[] {(byte) 0xFF, 0x01, 0x02}));
        assertEquals(ErrorCode.INVALID_ARGUMENT, garbage.getCode());
        assertTrue(garbage.getMessage().contains("not a SignedCommand"), garbage.getMessage());
        Error big =
                h.failed(RtosCommands.write(NODE, "valve", 1, 0, new byte[RtosArguments.MAX_NODE_COMMAND_BYTES + 1]));
        assertEquals(ErrorCode.INVALID_ARGUMENT, big.getCode());
        assertTrue(big.getMessage().contains("at most " + RtosArguments.MAX_NODE_COMMAND_BYTES), big.getMessage());
    }

    @Test
    void writeToASensorIsRefused() throws Exception {
        Error e = h.failed(RtosCommands.write(NODE, "temp", 1, 0, signed(0, 1f, 0)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode());
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
    }

    @Test
    void badWriteArgumentsAreRefusedBeforeTheLine() throws Exception {
        Error nan = h.failed(RtosCommands.write(NODE, "valve", Double.NaN, 0, signed(VALVE, Float.NaN, 0)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, nan.getCode());
        assertTrue(nan.getMessage().contains("finite"), nan.getMessage());
        Error huge = h.failed(RtosCommands.write(NODE, "valve", 1e300, 0, signed(VALVE, 1f, 0)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, huge.getCode());
        Error farAhead = h.failed(RtosCommands.write(NODE, "valve", 1, -1L, signed(VALVE, 1f, 1)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, farAhead.getCode(), "uint64 max arrives as -1");
        assertTrue(farAhead.getMessage().contains("--at"), farAhead.getMessage());
    }

    @Test
    void unknownNodeAndChannelAreNotFound() throws Exception {
        for (Command c : List.of(
                RtosCommands.ping("nosuch"),
                RtosCommands.info("nosuch"),
                RtosCommands.read("nosuch", "temp"),
                RtosCommands.timeSync("nosuch"),
                RtosCommands.stream("nosuch", "temp", 10, 1))) {
            Error e = h.failed(c);
            assertEquals(ErrorCode.NOT_FOUND, e.getCode(), c.toString());
            assertTrue(e.getMessage().contains("no node named nosuch"), e.getMessage());
        }
        Error ch = h.failed(RtosCommands.read(NODE, "pressure"));
        assertEquals(ErrorCode.NOT_FOUND, ch.getCode());
        assertTrue(ch.getMessage().contains("has no channel pressure"), ch.getMessage());
        assertEquals(
                ErrorCode.NOT_FOUND,
                h.failed(RtosCommands.stream(NODE, "pressure", 10, 1)).getCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Lab", "lab sensor", "lab/../x", "a-very-long-node-name", "lab\u001b[2J", "läb"})
    void hostileNodeNamesAreInvalidAndNeverEchoed(String name) throws Exception {
        Error e = h.failed(RtosCommands.read(name, "temp"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode(), e.getMessage());
        assertTrue(e.getMessage().contains("node name"), e.getMessage());
        assertFalse(e.getMessage().contains("\u001b"), "no escape reaches the terminal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "TEMP", "temp\n", "a-very-long-channel", "t\u0000"})
    void hostileChannelNamesAreInvalid(String channel) throws Exception {
        Error e = h.failed(RtosCommands.read(NODE, channel));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode(), e.getMessage());
        assertTrue(e.getMessage().contains("channel name"), e.getMessage());
    }

    @Test
    void streamLimitsAreEnforced() throws Exception {
        for (int hz : new int[] {0, RtosArguments.MAX_STREAM_HZ + 1, -1}) {
            Error e = h.failed(RtosCommands.stream(NODE, "temp", hz, 1));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode());
            assertTrue(e.getMessage().contains("hz must be 1..1000"), e.getMessage());
        }
        for (int s : new int[] {0, RtosArguments.MAX_STREAM_SECONDS + 1, -1}) {
            Error e = h.failed(RtosCommands.stream(NODE, "temp", 10, s));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode());
            assertTrue(e.getMessage().contains("seconds must be 1..60"), e.getMessage());
        }
    }

    /** The report counts the samples; subscribers get them sealed, and only the session opens them. */
    @Test
    void streamReportsAndPublishesSamplesThePersonCanOpen() throws Exception {
        h.events.clear();
        h.ok(RtosCommands.subscribe("rtos.stream."));
        int hz = 100;
        RtosStreamReport report = h.ok(RtosCommands.stream(NODE, "temp", hz, 1), Duration.ofSeconds(15))
                .getRtosStreamReport();
        assertTrue(report.getSamples() >= hz - 5 && report.getSamples() <= hz, report.toString());
        assertEquals(hz - report.getSamples(), report.getLost());
        assertTrue(report.getJitterP99Micros() >= report.getJitterP50Micros(), report.toString());

        EventBody start = h.nextEvent();
        assertEquals(org.multiverse.scramble.protocol.v1.EventKind.RTOS_STREAM_START, start.getKind());
        assertEquals(NODE, start.getSubject());
        int streamId = Integer.parseUnsignedInt(start.getAttributesOrThrow("stream_id"));
        byte[] hpkeId = start.getAttributesOrThrow("hpke_stream_id").getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(SampleSealing.hpkeStreamId(NODE, streamId), hpkeId);
        Base64.Decoder b64 = Base64.getDecoder();
        List<Float> values = new ArrayList<>();
        try (StreamOpener opener = StreamOpener.create(
                h.session.x25519Private(),
                b64.decode(start.getAttributesOrThrow("node_public_key")),
                hpkeId,
                b64.decode(start.getAttributesOrThrow("encapsulated_key")))) {
            while (values.size() < report.getSamples()) {
                EventBody batch = h.nextEvent();
                assertEquals(org.multiverse.scramble.protocol.v1.EventKind.RTOS_STREAM_SAMPLES, batch.getKind());
                ByteBuffer records = ByteBuffer.wrap(b64.decode(batch.getAttributesOrThrow("samples")));
                assertEquals(
                        Integer.parseInt(batch.getAttributesOrThrow("count")) * StreamPublisher.RECORD_BYTES,
                        records.remaining());
                while (records.hasRemaining()) {
                    int seq = records.getInt();
                    long nodeTime = records.getLong();
                    boolean last = records.get() == 1;
                    byte[] sealed = new byte[StreamPublisher.RECORD_BYTES - 13];
                    records.get(sealed);
                    values.add(SampleSealing.value(opener.open(
                            Integer.toUnsignedLong(seq), SampleSealing.aad(streamId, seq, nodeTime, last), sealed)));
                }
            }
        }
        assertEquals(report.getSamples(), values.size());
        assertTrue(values.stream().allMatch(v -> Math.abs(v) <= 1.5f + 1e-3f), "a 1.5 amplitude sine: " + values);
        assertTrue(values.stream().distinct().count() > 10, "the values move");
    }

    @Test
    void timeSyncReportsOffsetAndRoundTrip() throws Exception {
        Result r = h.ok(RtosCommands.timeSync(NODE));
        assertTrue(r.getRtosTimeSync().getRoundTripMicros() > 0, r.toString());
        assertTrue(Math.abs(r.getRtosTimeSync().getDriftPpm()) < 1_000, r.toString());
        assertTrue(r.getRtosTimeSync().getOffsetMicros() != 0, r.toString());
        assertEquals("rtos.time-sync", h.lastAudit().command());
    }
}
