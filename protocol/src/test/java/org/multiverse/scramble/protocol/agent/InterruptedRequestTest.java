package org.multiverse.scramble.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.v1.Envelope;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.Reply;
import org.multiverse.scramble.protocol.v1.ReplyBody;
import org.multiverse.scramble.suite.seal.ReplySealer;

/**
 * An agent that stopped while a state change ran (its ledger holds the accept, no outcome)
 * answers a resend of that envelope INTERRUPTED, audits the interruption once, and never runs
 * it — however often it is resent, and also after another restart.
 */
class InterruptedRequestTest {

    @TempDir
    Path tmp;

    private AgentHarness h;

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private ReplyBody open(Envelope e, Frame f) throws Exception {
        assertEquals(FrameType.REPLY, f.type());
        Reply reply = Reply.parseFrom(f.payload());
        return ReplyBody.parseFrom(ReplySealer.open(
                h.kit.session().x25519Private(),
                reply.getAgentReplyKey().toByteArray(),
                e.getRequestId().toByteArray(),
                reply.getEnc().toByteArray(),
                reply.getCiphertext().toByteArray()));
    }

    private ReplyBody resend(Envelope e) throws Exception {
        try (AgentHarness.RawLink raw = h.raw()) {
            raw.send(e);
            return open(e, raw.next());
        }
    }

    @Test
    void aResendOfARequestTheAgentDiedRunningIsInterruptedNeverRunAgain() throws Exception {
        h = new AgentHarness(tmp.resolve("state"), "unix:" + tmp.resolve("agent.sock"));
        Envelope e = h.envelope(AgentHarness.startPortal("q1"));
        String requestId = HexFormat.of().formatHex(e.getRequestId().toByteArray());
        h.crash();
        // What the agent had made durable when it was killed: the accept, before the handler ran.
        try (RequestLedger ledger = RequestLedger.open(tmp.resolve("state").resolve("requests"))) {
            ledger.accepted(
                    HexFormat.of().formatHex(h.kit.session().certificate().sessionSigningKey()),
                    requestId,
                    e.toByteArray(),
                    h.kit.root().id().text(),
                    h.kit.session().certificate().sessionIdShort(),
                    "portal.start");
        }
        h.restart();
        List<AuditRecord> atStart = h.audit(5);
        assertTrue(
                atStart.stream()
                        .anyMatch(r -> r.requestId().equals(requestId)
                                && r.decision().equals("done")
                                && r.result().equals("INTERRUPTED")),
                "the restart audits the interruption: " + atStart);

        for (int i = 0; i < 3; i++) {
            ReplyBody body = resend(e);
            assertEquals(ErrorCode.INTERRUPTED, body.getError().getCode(), body.toString());
            assertTrue(body.getError().getMessage().contains("result is unknown"), body.toString());
        }
        assertEquals(0, h.executions.get(), "an interrupted request is never run again");
        AuditRecord last = h.lastAudit();
        assertEquals("duplicate", last.decision());
        assertEquals("INTERRUPTED", last.result());
        assertEquals(requestId, last.requestId());

        h.crash();
        h.restart();
        assertEquals(ErrorCode.INTERRUPTED, resend(e).getError().getCode());
        long interruptions = h.audit(50).stream()
                .filter(r -> r.requestId().equals(requestId)
                        && r.decision().equals("done")
                        && r.result().equals("INTERRUPTED"))
                .count();
        assertEquals(1, interruptions, "the interruption is audited once, not at every restart");
        assertEquals(0, h.executions.get());
    }

    @Test
    void anotherEnvelopeReusingTheIdOfALedgeredRequestIsRefused() throws Exception {
        h = new AgentHarness(tmp.resolve("state"), "unix:" + tmp.resolve("agent.sock"));
        Envelope e = h.envelope(AgentHarness.startPortal("q1"));
        assertEquals("started q1", resend(e).getResult().getAck().getMessage());
        h.crash();
        h.restart();
        // Same request id, another (validly signed) command: not the request the ledger holds.
        Envelope other = org.multiverse.scramble.protocol.session.EnvelopeSigner.sign(
                h.kit.session(),
                AgentHarness.startPortal("q2"),
                h.kit.core().id(),
                "",
                e.getSequence() + 5_000,
                System.currentTimeMillis(),
                e.getRequestId().toByteArray());
        assertEquals(ErrorCode.REQUEST_ID_REUSED, resend(other).getError().getCode());
        assertEquals("started q1", resend(e).getResult().getAck().getMessage(), "the stored reply still answers");
        assertEquals(1, h.executions.get());
    }
}
