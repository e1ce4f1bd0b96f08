package org.multiverse.scramble.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.reply.ReplyParts;
import org.multiverse.scramble.protocol.testkit.AgentTestKit;
import org.multiverse.scramble.protocol.v1.AuditTail;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.Pong;
import org.multiverse.scramble.protocol.v1.PortalList;
import org.multiverse.scramble.protocol.v1.Result;

/**
 * Replies larger than a frame (SPEC.md §8.1) through the real pipeline: before, {@code audit tail -n
 * 400} was dropped with an uncaught FrameTooLargeException, the client timed out and the audit said
 * "done ok".
 */
class LargeReplyTest {

    private static final AtomicInteger NAMES = new AtomicInteger();
    /** Bytes the test handler answers portal.list with; set per test. */
    private static volatile int answerBytes;

    private static final String POLICY = """
            agent.*        @any allow rate=100/s burst=100
            audit.*        @any allow
            portal.*       @any allow rate=100/s burst=100
            """;

    @TempDir
    Path tmp;

    private AgentTestKit kit;

    static Stream<String> transports() {
        return Stream.of("sim", "unix");
    }

    private AgentTestKit start(String kind) throws Exception {
        String uri = kind.equals("sim") ? "sim:large-" + NAMES.incrementAndGet() : "unix:" + tmp.resolve("agent.sock");
        kit = AgentTestKit.builder("test-agent", tmp.resolve("state"))
                .listenUri(uri)
                .policy(POLICY)
                .install(core -> {
                    core.handlers()
                            .register(
                                    Command.KindCase.PORTAL_LIST,
                                    (ctx, cmd) -> Result.newBuilder()
                                            .setPong(Pong.newBuilder()
                                                    .setPayload(ByteString.copyFrom(pattern(answerBytes))))
                                            .build());
                    return () -> {};
                })
                .start();
        return kit;
    }

    @AfterEach
    void close() throws Exception {
        if (kit != null) {
            kit.close();
        }
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >>> 16));
        }
        return b;
    }

    private static Command portalList() {
        return Command.newBuilder()
                .setPortalList(PortalList.getDefaultInstance())
                .build();
    }

    /** Appends {@code n} entries with long reasons, as weeks of use would. */
    private void fillAudit(int n) throws Exception {
        try (AuditLog log = AuditLog.open(AgentState.auditDir(tmp.resolve("state")))) {
            for (int i = 0; i < n; i++) {
                log.append(new AuditRecord(
                        0,
                        Instant.now().toString(),
                        "sid1-filler",
                        "s-" + i,
                        "-",
                        "portal.start",
                        "done",
                        "filler entry " + i + " " + "x".repeat(200),
                        "ok",
                        1));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void auditTailOfAThousandLinesArrivesWhole(String kind) throws Exception {
        start(kind);
        kit.close();
        fillAudit(1000);
        kit = null;
        start(kind);
        Result r = kit.ok(Command.newBuilder()
                .setAuditTail(AuditTail.newBuilder().setLines(1000))
                .build());
        var entries = r.getAuditEntries().getEntriesList();
        assertEquals(1000, entries.size());
        assertTrue(r.getSerializedSize() > 4 * ReplyParts.PART_DATA_BYTES, "the answer needed parts");
        assertTrue(
                entries.stream().anyMatch(e -> e.getReason().startsWith("filler entry 999 ")),
                "the newest filler entries are there");
        assertEquals(0, kit.client().link().unmatchedFrames());
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aReplyOfMoreThanAMegabyteArrivesByteForByte(String kind) throws Exception {
        answerBytes = 1_500_000;
        start(kind);
        Result r = kit.ok(portalList());
        assertEquals(ByteString.copyFrom(pattern(answerBytes)), r.getPong().getPayload());
        // A resend of the same envelope gets the same parts again (deduplication); a second call too.
        assertEquals(answerBytes, kit.ok(portalList()).getPong().getPayload().size());
    }

    @Test
    void anAnswerTooLargeEvenForPartsIsAnErrorAndAuditedAsFailed() throws Exception {
        answerBytes = ReplyParts.MAX_REPLY_BYTES + 1;
        start("sim");
        var error = kit.fails(ErrorCode.RESOURCE_EXHAUSTED, portalList());
        assertTrue(error.getMessage().contains("ask for less"), error.getMessage());
        AuditRecord done = kit.lastAudit();
        assertEquals("portal.list", done.command());
        assertEquals("done", done.decision());
        assertEquals("RESOURCE_EXHAUSTED", done.result(), "not 'done ok' for an answer nobody got");
    }

    @Test
    void aReplyWhoseLinkIsGoneIsAuditedUndelivered() throws Exception {
        try (AgentHarness h = new AgentHarness(tmp.resolve("h"), "sim:undelivered-" + NAMES.incrementAndGet())) {
            h.hold = new CountDownLatch(1);
            AgentHarness.RawLink raw = h.raw();
            raw.send(h.envelope(AgentHarness.startPortal("gone")));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (h.executions.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            raw.close();
            h.hold.countDown();
            AuditRecord last = h.kit.awaitAudit(a -> a.decision().equals("undelivered"), "undelivered");
            assertEquals("portal.start", last.command());
            assertEquals("UNDELIVERED", last.result());
            List<AuditRecord> tail = h.audit(2);
            assertEquals("done", tail.get(0).decision());
        }
    }

    @Test
    void theFramesOnTheWireAreParts() throws Exception {
        answerBytes = 200_000;
        try (AgentHarness h = new AgentHarness(tmp.resolve("h"), "sim:wire-" + NAMES.incrementAndGet())) {
            h.kit.core()
                    .handlers()
                    .register(
                            Command.KindCase.PORTAL_LIST,
                            (ctx, cmd) -> Result.newBuilder()
                                    .setPong(Pong.newBuilder().setPayload(ByteString.copyFrom(pattern(answerBytes))))
                                    .build());
            try (AgentHarness.RawLink raw = h.raw()) {
                raw.send(h.envelope(portalList()));
                int parts = 0;
                for (int i = 0; i < 4; i++) {
                    var f = raw.next();
                    assertEquals(FrameType.REPLY_PART, f.type());
                    parts++;
                }
                assertEquals(4, parts, "a 200 kB answer is four REPLY_PART frames");
            }
        }
    }
}
