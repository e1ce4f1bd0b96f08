package org.multiverse.scramble.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.EnvelopeSigner;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.PortalList;
import org.multiverse.scramble.protocol.v1.PortalStop;
import org.multiverse.scramble.protocol.v1.RejectCode;
import org.multiverse.scramble.protocol.v1.Rejected;
import org.multiverse.scramble.protocol.v1.RevokeSessions;
import org.multiverse.scramble.suite.cert.RevocationStatement;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;

/**
 * The agent pipeline end to end, over a simulated channel and a real unix socket: every kind
 * of bad input is refused with nothing executed, a specific audit entry, and the agent still
 * serving.
 */
class AgentPipelineTest {

    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path tmp;

    private AgentHarness h;

    static Stream<String> transports() {
        return Stream.of("sim", "unix");
    }

    private AgentHarness harness(String kind) throws Exception {
        String uri =
                kind.equals("sim") ? "sim:pipeline-" + NAMES.incrementAndGet() : "unix:" + tmp.resolve("agent.sock");
        h = new AgentHarness(tmp.resolve("state"), uri);
        return h;
    }

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private static void assertStillServing(AgentHarness h) throws Exception {
        assertOk(h.send(AgentHarness.ping()));
    }

    /** Asserts success, showing the agent's error when there is one. */
    static CommandOutcome.Ok assertOk(CommandOutcome o) {
        return assertInstanceOf(CommandOutcome.Ok.class, o, () -> "expected success, got " + o);
    }

    private static Rejected rejected(Frame f) throws Exception {
        assertEquals(FrameType.REJECTED, f.type(), "expected a bare Rejected frame");
        return Rejected.parseFrom(f.payload());
    }

    @ParameterizedTest
    @MethodSource("transports")
    void acceptedCommandRunsOnceAndIsAuditedTwice(String kind) throws Exception {
        harness(kind);
        CommandOutcome o = h.send(AgentHarness.startPortal("work"));
        CommandOutcome.Ok ok = assertOk(o);
        assertEquals("started work", ok.result().getAck().getMessage());
        assertEquals(1, h.executions.get());
        List<AuditRecord> audit = h.audit(2);
        assertEquals("accepted", audit.get(0).decision());
        assertEquals("portal.start", audit.get(0).command());
        assertEquals(h.kit.root().id().text(), audit.get(0).identity());
        assertEquals("done", audit.get(1).decision());
        assertEquals("ok", audit.get(1).result());
    }

    @ParameterizedTest
    @MethodSource("transports")
    void forgedSignatureIsRejectedUnattributed(String kind) throws Exception {
        harness(kind);
        Envelope good = h.envelope(AgentHarness.startPortal("x"));
        byte[] sig = good.getSignature().toByteArray();
        sig[10] ^= 1;
        try (AgentHarness.RawLink raw = h.raw()) {
            raw.send(good.toBuilder().setSignature(ByteString.copyFrom(sig)).build());
            assertEquals(RejectCode.UNAUTHENTICATED, rejected(raw.next()).getCode());
        }
        assertEquals(0, h.executions.get());
        AuditRecord a = h.awaitRefusal();
        assertEquals("refused", a.decision());
        assertEquals("BAD_SIGNATURE", a.result());
        assertEquals("unknown", a.identity());
        assertStillServing(h);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void certificateFromUnknownRootIsRejected(String kind) throws Exception {
        harness(kind);
        try (Identity stranger = Identity.generate(new SecureRandom());
                SessionKeys s = SessionKeys.create(
                        stranger, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
                AgentHarness.RawLink raw = h.raw()) {
            raw.send(EnvelopeSigner.sign(
                    s,
                    AgentHarness.startPortal("x"),
                    h.kit.core().id(),
                    "",
                    1,
                    System.currentTimeMillis(),
                    new byte[16]));
            assertEquals(RejectCode.UNAUTHENTICATED, rejected(raw.next()).getCode());
        }
        assertEquals(0, h.executions.get());
        assertEquals("UNKNOWN_IDENTITY", h.awaitRefusal().result());
        assertStillServing(h);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void expiredSessionGetsSealedRefusal(String kind) throws Exception {
        harness(kind);
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC);
        try (SessionKeys old =
                        SessionKeys.create(h.kit.root(), Scope.ALL, Duration.ofHours(1), past, new SecureRandom());
                AgentHarness.RawLink raw = h.raw()) {
            raw.send(EnvelopeSigner.sign(
                    old,
                    AgentHarness.startPortal("x"),
                    h.kit.core().id(),
                    "",
                    1,
                    System.currentTimeMillis(),
                    new byte[16]));
            Frame f = raw.next();
            assertEquals(FrameType.REPLY, f.type(), "an attributable refusal is sealed, not bare");
        }
        assertEquals(0, h.executions.get());
        assertEquals("SESSION_EXPIRED", h.lastAudit().result());
        assertStillServing(h);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void revokedSessionIsRefusedAndStaysRevokedAfterRestart(String kind) throws Exception {
        harness(kind);
        RevocationStatement st = RevocationStatement.sign(h.kit.root(), System.currentTimeMillis() + 1000);
        Command revoke = Command.newBuilder()
                .setRevokeSessions(RevokeSessions.newBuilder()
                        .setIssuedBeforeMillis(st.issuedBeforeMillis())
                        .setRootSignature(ByteString.copyFrom(st.encode())))
                .build();
        assertOk(h.send(revoke));
        CommandOutcome.Failed f = assertInstanceOf(CommandOutcome.Failed.class, h.send(AgentHarness.startPortal("x")));
        assertEquals(ErrorCode.SESSION_REVOKED, f.error().getCode());
        h.crash();
        h.restart();
        f = assertInstanceOf(CommandOutcome.Failed.class, h.send(AgentHarness.startPortal("x")));
        assertEquals(ErrorCode.SESSION_REVOKED, f.error().getCode());
        assertEquals(0, h.executions.get());
        assertEquals("SESSION_REVOKED", h.lastAudit().result());
    }

    @ParameterizedTest
    @MethodSource("transports")
    void wrongTargetIsRefused(String kind) throws Exception {
        harness(kind);
        try (Identity other = Identity.generate(new SecureRandom());
                AgentHarness.RawLink raw = h.raw()) {
            raw.send(EnvelopeSigner.sign(
                    h.kit.session(),
                    AgentHarness.startPortal("x"),
                    other.id(),
                    "",
                    5,
                    System.currentTimeMillis(),
                    new byte[16]));
            assertEquals(FrameType.REPLY, raw.next().type());
        }
        assertEquals(0, h.executions.get());
        assertEquals("WRONG_TARGET", h.lastAudit().result());
        assertStillServing(h);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void staleTimestampIsRefused(String kind) throws Exception {
        harness(kind);
        try (AgentHarness.RawLink raw = h.raw()) {
            raw.send(EnvelopeSigner.sign(
                    h.kit.session(),
                    AgentHarness.startPortal("x"),
                    h.kit.core().id(),
                    "",
                    7,
                    System.currentTimeMillis() - Duration.ofMinutes(10).toMillis(),
                    new byte[16]));
            assertEquals(FrameType.REPLY, raw.next().type());
        }
        assertEquals(0, h.executions.get());
        assertEquals("STALE", h.lastAudit().result());
        assertStillServing(h);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void replayedBytesNeverRunTwiceBeforeOrAfterRestart(String kind) throws Exception {
        harness(kind);
        Envelope e = h.envelope(AgentHarness.startPortal("once"));
        byte[] first;
        try (AgentHarness.RawLink raw = h.raw()) {
            raw.send(e);
            first = raw.next().payload();
            raw.send(e);
            assertArrayEquals(first, raw.next().payload(), "a duplicate gets the very same sealed reply");
        }
        assertEquals(1, h.executions.get());
        assertEquals("duplicate", h.lastAudit().decision());
        Envelope ping = h.envelope(AgentHarness.ping());
        try (AgentHarness.RawLink raw = h.raw()) {
            raw.send(ping);
            raw.next();
        }
        h.crash(); // as kill -9: the reply cache is gone; the request ledger and high-water mark are not
        h.restart();
        try (AgentHarness.RawLink raw = h.raw()) {
            raw.send(e);
            assertArrayEquals(first, raw.next().payload(), "a state change is answered from the request ledger");
        }
        assertEquals(1, h.executions.get());
        assertEquals("duplicate", h.lastAudit().decision());
        try (AgentHarness.RawLink raw = h.raw()) {
            raw.send(ping); // a read-only command is not in the ledger: the sequence window refuses it
            assertEquals(FrameType.REPLY, raw.next().type());
        }
        assertEquals("REPLAYED", h.lastAudit().result());
        // The harness client's own session still works after the restart (it skips the reserve).
        assertOk(h.send(AgentHarness.startPortal("after")));
        assertEquals(2, h.executions.get());
    }

    /** A client must be able to match a refusal to its request even when the envelope did not parse. */
    @ParameterizedTest
    @MethodSource("transports")
    void aMalformedEnvelopeIsRefusedWithItsRequestIdWhenItCanBeRead(String kind) throws Exception {
        harness(kind);
        Envelope e = h.envelope(AgentHarness.startPortal("malformed"));
        // An unknown field 99 (varint 1) after a well-formed envelope: refused as MALFORMED.
        byte[] unknownField = java.util.Arrays.copyOf(e.toByteArray(), e.getSerializedSize() + 3);
        unknownField[unknownField.length - 3] = (byte) 0x98;
        unknownField[unknownField.length - 2] = (byte) 0x06;
        unknownField[unknownField.length - 1] = (byte) 0x01;
        try (AgentHarness.RawLink raw = h.raw()) {
            raw.sendBytes(unknownField);
            Rejected r = rejected(raw.next());
            assertEquals(RejectCode.MALFORMED, r.getCode());
            assertEquals(e.getRequestId(), r.getRequestId(), "the refusal names the request");
            // A newer sender's envelope (version 2, with a field this agent does not know): the
            // version is the news, so it is refused as an unsupported protocol, not as garbage.
            byte[] newer = unknownField.clone();
            newer[1] = 2; // protocol_version is the first field: tag 0x08, then the value 1
            assertEquals(0x08, e.toByteArray()[0]);
            raw.sendBytes(newer);
            Rejected r2 = rejected(raw.next());
            assertEquals(RejectCode.UNSUPPORTED_PROTOCOL, r2.getCode());
            assertEquals(e.getRequestId(), r2.getRequestId());
            raw.sendBytes("not a protobuf message at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            Rejected garbage = rejected(raw.next());
            assertEquals(RejectCode.MALFORMED, garbage.getCode());
            assertTrue(garbage.getRequestId().isEmpty(), "no id could be read, none is invented");
        }
        assertEquals(0, h.executions.get());
        assertStillServing(h);
    }

    /**
     * A resend is byte-identical and gets the earlier reply; a different envelope reusing an
     * answered request id (another command, or the same command signed again) is refused, never
     * answered with the earlier reply, and never run.
     */
    @ParameterizedTest
    @MethodSource("transports")
    void aNewEnvelopeReusingAnAnsweredRequestIdIsRefused(String kind) throws Exception {
        harness(kind);
        Envelope first = h.envelope(AgentHarness.startPortal("first"));
        Envelope reuse = EnvelopeSigner.sign(
                h.kit.session(),
                AgentHarness.startPortal("second"),
                h.kit.core().id(),
                "",
                first.getSequence() + 1,
                System.currentTimeMillis(),
                first.getRequestId().toByteArray());
        h.hold = new java.util.concurrent.CountDownLatch(1); // the first stays in flight meanwhile
        try (AgentHarness.RawLink raw = h.raw()) {
            raw.send(first);
            while (h.executions.get() == 0) {
                Thread.sleep(5); // until the first is running (and held): the two must not race to claim the id
            }
            raw.send(reuse);
            Frame refusal = raw.next();
            assertEquals(FrameType.REPLY, refusal.type(), "attributable: sealed");
            h.hold.countDown();
            byte[] answer = raw.next().payload();
            assertFalse(java.util.Arrays.equals(answer, refusal.payload()), "not the earlier reply");
            raw.send(first);
            assertArrayEquals(answer, raw.next().payload(), "a resend of the first still gets the first's answer");
        }
        assertEquals(1, h.executions.get());
        assertTrue(h.audit(10).stream().anyMatch(a -> a.result().equals("REQUEST_ID_REUSED")), "audited");
        assertStillServing(h);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void bitFlipInThePayloadIsRefusedEverywhere(String kind) throws Exception {
        harness(kind);
        // The session's link authenticates first: the forgeries below use up the failed-check
        // budget of their peer (this same user or address), which a link that has not yet
        // authenticated shares; an authenticated link has its own.
        assertStillServing(h);
        Envelope e = h.envelope(AgentHarness.startPortal("flip"));
        byte[] bytes = e.toByteArray();
        try (AgentHarness.RawLink raw = h.raw()) {
            // Every third byte, one bit each: paced under the channel's pre-authentication budget,
            // which would otherwise (rightly) drop part of this burst without an answer.
            for (int i = 0; i < bytes.length; i += 3) {
                Thread.sleep(6);
                byte[] flipped = bytes.clone();
                flipped[i] ^= (byte) (1 << (i % 8));
                raw.sendBytes(flipped);
                Frame answer = raw.next();
                if (answer.type() == FrameType.REPLY) {
                    // Attributable: a flip that left the signature intact can only be in a field the
                    // signature does not cover; it must still not run.
                    continue;
                }
                assertEquals(FrameType.REJECTED, answer.type());
            }
        }
        assertEquals(0, h.executions.get(), "a flipped envelope was executed");
        assertStillServing(h);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void policyDenyIsSealedAndAudited(String kind) throws Exception {
        harness(kind);
        Command stop = Command.newBuilder()
                .setPortalStop(PortalStop.newBuilder().setName("x"))
                .build();
        CommandOutcome.Failed f = assertInstanceOf(CommandOutcome.Failed.class, h.send(stop));
        assertEquals(ErrorCode.POLICY_DENIED, f.error().getCode());
        assertTrue(f.error().getMessage().contains("default deny"), f.error().getMessage());
        assertEquals("POLICY_DENIED", h.lastAudit().result());
        assertStillServing(h);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void rateLimitSaysWhenToRetry(String kind) throws Exception {
        harness(kind);
        assertOk(h.send(AgentHarness.startPortal("a")));
        assertOk(h.send(AgentHarness.startPortal("b")));
        CommandOutcome.Failed f = assertInstanceOf(CommandOutcome.Failed.class, h.send(AgentHarness.startPortal("c")));
        assertEquals(ErrorCode.RATE_LIMITED, f.error().getCode());
        assertTrue(
                f.error().getRetryAfterMillis() > 0 && f.error().getRetryAfterMillis() <= 1000,
                "retry after " + f.error().getRetryAfterMillis());
        assertEquals(2, h.executions.get());
        assertEquals("RATE_LIMITED", h.lastAudit().result());
        // The shell's mirror has learnt: the next one is explained locally and never sent.
        long lastIndex = h.lastAudit().index();
        java.util.concurrent.ExecutionException local = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class,
                () -> h.kit.client()
                        .send(AgentHarness.startPortal("d"), h.kit.core().id(), "", Duration.ofSeconds(5))
                        .get());
        assertInstanceOf(org.multiverse.scramble.protocol.session.RateLimitedLocallyException.class, local.getCause());
        assertTrue(
                local.getCause().getMessage().contains("next token in"),
                local.getCause().getMessage());
        assertEquals(lastIndex, h.lastAudit().index(), "a locally limited command reached the agent");
        // Other command classes are not affected.
        assertStillServing(h);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void readOnlySessionCannotChangeState(String kind) throws Exception {
        harness(kind);
        try (SessionKeys ro = SessionKeys.create(
                        h.kit.root(), Scope.READ_ONLY, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
                AgentHarness.RawLink raw = h.raw()) {
            raw.send(EnvelopeSigner.sign(
                    ro,
                    AgentHarness.startPortal("x"),
                    h.kit.core().id(),
                    "",
                    1,
                    System.currentTimeMillis(),
                    new byte[16]));
            assertEquals(FrameType.REPLY, raw.next().type());
        }
        assertEquals(0, h.executions.get());
        assertEquals("POLICY_DENIED", h.lastAudit().result());
    }

    @ParameterizedTest
    @MethodSource("transports")
    void garbageFloodDoesNotStopTheLegitimateClient(String kind) throws Exception {
        harness(kind);
        AtomicBoolean flooding = new AtomicBoolean(true);
        try (AgentHarness.RawLink raw = h.raw()) {
            Thread flood = new Thread(() -> {
                Random rnd = new Random(42);
                byte[] junk = new byte[512];
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (flooding.get() && System.nanoTime() < deadline) {
                    rnd.nextBytes(junk);
                    try {
                        raw.sendBytes(junk);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            flood.start();
            for (int i = 0; i < 20; i++) {
                assertOk(h.send(AgentHarness.ping()));
            }
            flooding.set(false);
            flood.join();
        }
        assertEquals(0, h.executions.get());
    }

    @ParameterizedTest
    @MethodSource("transports")
    void unsupportedCommandGetsTypedError(String kind) throws Exception {
        harness(kind);
        CommandOutcome.Failed f = assertInstanceOf(
                CommandOutcome.Failed.class,
                h.send(Command.newBuilder()
                        .setPortalList(PortalList.getDefaultInstance())
                        .build()));
        assertEquals(ErrorCode.UNSUPPORTED_COMMAND, f.error().getCode());
    }

    @org.junit.jupiter.api.Test
    void corruptAndOversizedFramesOnARealSocketAreDroppedAndTheAgentRecovers() throws Exception {
        harness("unix");
        Envelope e = h.envelope(AgentHarness.startPortal("raw"));
        byte[] frame = FrameEncoder.encode(new Frame(FrameType.ENVELOPE, e.toByteArray()));
        try (SocketChannel sock = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            sock.connect(UnixDomainSocketAddress.of(tmp.resolve("agent.sock")));
            // A bit flipped at every byte of the frame: each must fail its checksum and be skipped.
            for (int i = 0; i < frame.length; i++) {
                byte[] bad = frame.clone();
                bad[i] ^= (byte) (1 << (i % 8));
                sock.write(ByteBuffer.wrap(bad));
            }
            // A well-formed header (valid header CRC) announcing 2 GiB: refused before any allocation.
            ByteBuffer huge = ByteBuffer.allocate(14).put(frame, 0, 6).putInt(Integer.MAX_VALUE);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(huge.array(), 0, 10);
            huge.putInt((int) crc.getValue()).flip();
            sock.write(huge);
            // The untouched frame after all that still runs, exactly once.
            sock.write(ByteBuffer.wrap(frame));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (h.executions.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertEquals(1, h.executions.get());
        assertStillServing(h);
    }
}
