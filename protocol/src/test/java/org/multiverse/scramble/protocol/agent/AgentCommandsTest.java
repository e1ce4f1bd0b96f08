package org.multiverse.scramble.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.client.AgentClient;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.SessionClient;
import org.multiverse.scramble.protocol.transport.Listener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.AgentPing;
import org.multiverse.scramble.protocol.v1.AgentStatus;
import org.multiverse.scramble.protocol.v1.AgentSubscribe;
import org.multiverse.scramble.protocol.v1.AuditTail;
import org.multiverse.scramble.protocol.v1.AuditVerify;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.ReloadPolicy;
import org.multiverse.scramble.protocol.v1.RevokeSessions;
import org.multiverse.scramble.suite.cert.RevocationStatement;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;

/** The commands every agent serves, through the real pipeline over a simulated channel. */
class AgentCommandsTest {

    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path tmp;

    private AgentCore core;
    private Listener listener;
    private SessionClient client;
    private Identity root;
    private SessionKeys session;
    private final LinkedBlockingQueue<EventBody> events = new LinkedBlockingQueue<>();

    private void start(Path policyFile) throws Exception {
        Path state = tmp.resolve("state");
        AgentState.init(state).close();
        root = Identity.generate(new SecureRandom());
        AgentState.roots(state).authorize(root.id(), Scope.ALL);
        core = new AgentBuilder("test-agent", state)
                .policy(PolicyHolder.load(policyFile))
                .build();
        TransportUri uri = TransportUri.parse("sim:agent-commands-" + NAMES.incrementAndGet());
        listener = Transports.listen(uri, core::attach);
        session = SessionKeys.create(root, Scope.ALL, Duration.ofHours(1), Clock.systemUTC(), new SecureRandom());
        SessionClient[] self = new SessionClient[1];
        AgentClient link =
                AgentClient.start(() -> Transports.connect(uri), f -> self[0].deliverEvent(f), ClientSettings.DEFAULTS);
        client = new SessionClient(session, link, Clock.systemUTC());
        self[0] = client;
        client.onEvent(events::add);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        listener.close();
        core.close();
    }

    private CommandOutcome send(Command c) throws Exception {
        return client.send(c, core.id(), "", Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
    }

    private Path policy(String text) throws Exception {
        Path f = tmp.resolve("agent.policy");
        Files.writeString(f, text);
        return f;
    }

    private static CommandOutcome.Ok ok(CommandOutcome o) {
        return assertInstanceOf(CommandOutcome.Ok.class, o, () -> "expected success, got " + o);
    }

    @Test
    void pingEchoesAndStatusCountsRefusals() throws Exception {
        start(policy("agent.* @any allow\n"));
        var pong = ok(send(Command.newBuilder()
                        .setAgentPing(AgentPing.newBuilder().setPayload(ByteString.copyFromUtf8("hello")))
                        .build()))
                .result()
                .getPong();
        assertEquals("hello", pong.getPayload().toStringUtf8());
        CommandOutcome tooBig = send(Command.newBuilder()
                .setAgentPing(AgentPing.newBuilder()
                        .setPayload(ByteString.copyFrom(new byte[AgentCommands.MAX_PING_PAYLOAD + 1])))
                .build());
        assertEquals(
                ErrorCode.INVALID_ARGUMENT,
                ((CommandOutcome.Failed) tooBig).error().getCode());
        CommandOutcome denied = send(Command.newBuilder()
                .setAuditTail(AuditTail.getDefaultInstance())
                .build());
        assertEquals(
                ErrorCode.POLICY_DENIED,
                ((CommandOutcome.Failed) denied).error().getCode());
        var status = ok(send(Command.newBuilder()
                        .setAgentStatus(AgentStatus.getDefaultInstance())
                        .build()))
                .result()
                .getAgentStatus();
        assertEquals(core.id().text(), status.getAgentId());
        assertEquals(1L, status.getRefusalsOrDefault("POLICY_DENIED", 0));
        assertTrue(
                status.getTokensLeftMap().containsKey("query"),
                status.getTokensLeftMap().toString());
        assertTrue(status.getCommandsAccepted() >= 3);
        assertFalse(status.getChannelsList().isEmpty());
    }

    @Test
    void auditTailAndVerifyThroughTheAgent() throws Exception {
        start(policy("agent.* @any allow\naudit.* @any allow\n"));
        ok(send(Command.newBuilder()
                .setAgentPing(AgentPing.getDefaultInstance())
                .build()));
        for (int i = 0; i < 2; i++) {
            ok(send(Command.newBuilder()
                    .setReloadPolicy(org.multiverse.scramble.protocol.v1.ReloadPolicy.getDefaultInstance())
                    .build()));
        }
        var entries = ok(send(Command.newBuilder()
                        .setAuditTail(AuditTail.newBuilder().setLines(3))
                        .build()))
                .result()
                .getAuditEntries()
                .getEntriesList();
        assertEquals(3, entries.size());
        // The ping and the tail itself are read-only queries: counted into a summary, not listed.
        assertEquals("agent.reload-policy", entries.get(2).getCommand());
        assertEquals(
                org.multiverse.scramble.protocol.v1.AuditDecision.AUDIT_DECISION_DONE,
                entries.get(2).getDecision());
        assertEquals(
                org.multiverse.scramble.protocol.v1.AuditDecision.AUDIT_DECISION_ACCEPTED,
                entries.get(1).getDecision());
        assertEquals("agent.reload-policy", entries.get(0).getCommand());
        var verify = ok(send(Command.newBuilder()
                        .setAuditVerify(AuditVerify.getDefaultInstance())
                        .build()))
                .result()
                .getAuditVerify();
        assertTrue(verify.getOk(), verify.getProblem());
        CommandOutcome tooMany = send(Command.newBuilder()
                .setAuditTail(AuditTail.newBuilder().setLines(AgentCommands.MAX_TAIL + 1))
                .build());
        assertEquals(
                ErrorCode.INVALID_ARGUMENT,
                ((CommandOutcome.Failed) tooMany).error().getCode());
    }

    @Test
    void brokenPolicyReloadKeepsTheOldPolicyAndSubscribersHearOfReloads() throws Exception {
        Path file = policy("agent.* @any allow\n");
        start(file);
        ok(send(Command.newBuilder()
                .setAgentSubscribe(AgentSubscribe.newBuilder().addKinds("agent."))
                .build()));

        Files.writeString(file, "agent.* @any allow\nthis is not a rule\n");
        String kept = ok(send(Command.newBuilder()
                        .setReloadPolicy(ReloadPolicy.getDefaultInstance())
                        .build()))
                .result()
                .getAck()
                .getMessage();
        assertTrue(kept.contains("old policy kept") && kept.contains(":2:"), kept);
        EventBody e = events.poll(10, TimeUnit.SECONDS);
        assertTrue(
                e != null && e.getKind() == org.multiverse.scramble.protocol.v1.EventKind.AGENT_POLICY_RELOADED,
                "no sealed event arrived");
        assertTrue(e.getText().contains("old policy kept"));
        ok(send(Command.newBuilder()
                .setAgentPing(AgentPing.getDefaultInstance())
                .build()));

        Files.writeString(file, "agent.reload-policy @any allow\n"); // ping no longer allowed
        String reloaded = ok(send(Command.newBuilder()
                        .setReloadPolicy(ReloadPolicy.getDefaultInstance())
                        .build()))
                .result()
                .getAck()
                .getMessage();
        assertTrue(reloaded.contains("1 rules") && reloaded.contains("authorised roots reloaded: 1"), reloaded);
        assertEquals(
                ErrorCode.POLICY_DENIED,
                ((CommandOutcome.Failed) send(Command.newBuilder()
                                .setAgentPing(AgentPing.getDefaultInstance())
                                .build()))
                        .error()
                        .getCode());
        assertEquals(
                org.multiverse.scramble.protocol.v1.EventKind.AGENT_POLICY_RELOADED,
                events.poll(10, TimeUnit.SECONDS).getKind());
    }

    @Test
    void revocationMustBeSignedByTheSendersOwnRoot() throws Exception {
        start(policy("agent.* @any allow\n"));
        try (Identity other = Identity.generate(new SecureRandom())) {
            RevocationStatement foreign = RevocationStatement.sign(other, System.currentTimeMillis());
            CommandOutcome o = send(Command.newBuilder()
                    .setRevokeSessions(RevokeSessions.newBuilder()
                            .setIssuedBeforeMillis(foreign.issuedBeforeMillis())
                            .setRootSignature(ByteString.copyFrom(foreign.encode())))
                    .build());
            assertEquals(
                    ErrorCode.PERMISSION, ((CommandOutcome.Failed) o).error().getCode());
        }
        byte[] garbage = new byte[RevocationStatement.ENCODED_LENGTH];
        CommandOutcome o = send(Command.newBuilder()
                .setRevokeSessions(RevokeSessions.newBuilder().setRootSignature(ByteString.copyFrom(garbage)))
                .build());
        assertInstanceOf(CommandOutcome.Failed.class, o);
        RevocationStatement mine = RevocationStatement.sign(root, System.currentTimeMillis() - 60_000);
        o = send(Command.newBuilder()
                .setRevokeSessions(RevokeSessions.newBuilder()
                        .setIssuedBeforeMillis(mine.issuedBeforeMillis() + 1)
                        .setRootSignature(ByteString.copyFrom(mine.encode())))
                .build());
        assertEquals(
                ErrorCode.INVALID_ARGUMENT,
                ((CommandOutcome.Failed) o).error().getCode(),
                "issued_before must match the signed statement");
        // A revocation of sessions older than this one leaves it working.
        ok(send(Command.newBuilder()
                .setRevokeSessions(RevokeSessions.newBuilder()
                        .setIssuedBeforeMillis(mine.issuedBeforeMillis())
                        .setRootSignature(ByteString.copyFrom(mine.encode())))
                .build()));
        ok(send(Command.newBuilder()
                .setAgentPing(AgentPing.getDefaultInstance())
                .build()));
    }

    @Test
    void eventsAreSealedToTheSubscriber() throws Exception {
        start(policy("agent.* @any allow\n"));
        ok(send(Command.newBuilder()
                .setAgentSubscribe(AgentSubscribe.newBuilder().addKinds("portal."))
                .build()));
        core.events()
                .publish(
                        org.multiverse.scramble.protocol.v1.EventKind.ROUTER_STATE,
                        "star",
                        "ignored: not subscribed",
                        java.util.Map.of());
        core.events()
                .publish(
                        org.multiverse.scramble.protocol.v1.EventKind.PORTAL_STATE,
                        "work",
                        "running",
                        java.util.Map.of("pid", "42"));
        EventBody e = events.poll(10, TimeUnit.SECONDS);
        assertTrue(e != null, "no event");
        assertEquals(org.multiverse.scramble.protocol.v1.EventKind.PORTAL_STATE, e.getKind());
        assertEquals("work", e.getSubject());
        assertEquals("42", e.getAttributesMap().get("pid"));
        assertTrue(events.poll(300, TimeUnit.MILLISECONDS) == null, "an unsubscribed kind was delivered");
    }
}
