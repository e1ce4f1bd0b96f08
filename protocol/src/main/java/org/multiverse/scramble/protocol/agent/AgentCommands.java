package org.multiverse.scramble.protocol.agent;

import com.google.protobuf.ByteString;
import java.io.IOException;
import org.multiverse.scramble.protocol.agent.audit.AnchorCheck;
import org.multiverse.scramble.protocol.agent.audit.AnchoredVerification;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.agent.audit.AuditVerification;
import org.multiverse.scramble.protocol.v1.Ack;
import org.multiverse.scramble.protocol.v1.AgentStatusResult;
import org.multiverse.scramble.protocol.v1.AuditEntries;
import org.multiverse.scramble.protocol.v1.AuditEntry;
import org.multiverse.scramble.protocol.v1.AuditVerifyResult;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.Pong;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.suite.cert.CertificateException;
import org.multiverse.scramble.suite.cert.RevocationStatement;
import org.multiverse.scramble.suite.identity.ScrambleId;

/** The commands every agent serves: ping, status, subscribe, audit, revocation, policy reload. */
final class AgentCommands {

    /** A ping payload is echoed; more than this is not a ping. */
    static final int MAX_PING_PAYLOAD = 1024;
    /** Default and largest number of audit entries one {@code audit tail} returns. */
    static final int DEFAULT_TAIL = 20;

    static final int MAX_TAIL = 1000;

    private AgentCommands() {}

    static void register(AgentCore core, HandlerRegistry handlers) {
        handlers.register(Command.KindCase.AGENT_PING, (ctx, cmd) -> ping(core, cmd));
        handlers.register(Command.KindCase.AGENT_STATUS, (ctx, cmd) -> status(core, ctx));
        handlers.register(
                Command.KindCase.AGENT_SUBSCRIBE,
                (ctx, cmd) -> Result.newBuilder()
                        .setAck(Ack.newBuilder().setMessage("subscribed; events are sealed to this session"))
                        .build());
        handlers.register(Command.KindCase.AUDIT_TAIL, (ctx, cmd) -> auditTail(core, cmd));
        handlers.register(Command.KindCase.AUDIT_VERIFY, (ctx, cmd) -> auditVerify(core, cmd));
        handlers.register(Command.KindCase.REVOKE_SESSIONS, (ctx, cmd) -> revoke(core, ctx, cmd));
        handlers.register(
                Command.KindCase.RELOAD_POLICY,
                (ctx, cmd) -> Result.newBuilder()
                        .setAck(Ack.newBuilder().setMessage(core.reloadPolicy()))
                        .build());
    }

    private static Result ping(AgentCore core, Command cmd) throws CommandException {
        ByteString payload = cmd.getAgentPing().getPayload();
        if (payload.size() > MAX_PING_PAYLOAD) {
            throw new CommandException(
                    ErrorCode.INVALID_ARGUMENT,
                    "ping payload of " + payload.size() + " bytes; at most " + MAX_PING_PAYLOAD);
        }
        return Result.newBuilder()
                .setPong(Pong.newBuilder().setPayload(payload).setAgentVersion(core.version()))
                .build();
    }

    private static Result status(AgentCore core, CommandContext ctx) {
        AgentStatusResult.Builder b = AgentStatusResult.newBuilder()
                .setAgentId(core.identity().id().text())
                .setVersion(core.version())
                .setUptimeMillis(core.uptimeMillis())
                .addAllChannels(core.channelDescriptions())
                .putAllRefusals(core.refusalCounts())
                .addAllRoutes(core.routeNames())
                .setCommandsAccepted(core.acceptedCount());
        core.rates().tokensLeft(ctx.root()).forEach(b::putTokensLeft);
        return Result.newBuilder().setAgentStatus(b).build();
    }

    private static Result auditTail(AgentCore core, Command cmd) throws CommandException {
        int n = cmd.getAuditTail().getLines() == 0
                ? DEFAULT_TAIL
                : cmd.getAuditTail().getLines();
        if (n > MAX_TAIL) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENT, "at most " + MAX_TAIL + " audit entries at once");
        }
        try {
            AuditEntries.Builder b = AuditEntries.newBuilder();
            for (AuditRecord r : AuditLog.tail(core.auditDir(), n)) {
                b.addEntries(toEntry(r));
            }
            return Result.newBuilder().setAuditEntries(b).build();
        } catch (IOException e) {
            throw new CommandException(ErrorCode.INTERNAL, "cannot read the audit log: " + e.getMessage());
        }
    }

    static AuditEntry toEntry(AuditRecord r) {
        return AuditEntry.newBuilder()
                .setIndex(r.index())
                .setTimeMillis(java.time.Instant.parse(r.time()).toEpochMilli())
                .setIdentity(r.identity())
                .setSession(r.session())
                .setRequestId(r.requestId())
                .setCommand(r.command())
                .setDecision(org.multiverse.scramble.protocol.agent.audit.AuditDecisions.parse(r.decision()))
                .setReason(r.reason())
                .setResult(r.result())
                .setDurationMs(r.durationMs())
                .build();
    }

    /**
     * The chain against itself and the signed checkpoints, up to the durable head (an entry being
     * written meanwhile is not damage), with the hash at each count the client witnessed.
     */
    private static Result auditVerify(AgentCore core, Command cmd) throws CommandException {
        java.util.List<Long> witnessed = cmd.getAuditVerify().getWitnessedCountsList();
        if (witnessed.size() > AnchorCheck.MAX_WITNESSED) {
            throw new CommandException(
                    ErrorCode.INVALID_ARGUMENT, "at most " + AnchorCheck.MAX_WITNESSED + " witnessed counts at once");
        }
        try {
            AnchoredVerification anchored =
                    AnchorCheck.verify(core.auditDir(), core.identity().id(), core.auditDurableCount(), witnessed);
            AuditVerification v = anchored.verdict();
            AuditVerifyResult.Builder b = AuditVerifyResult.newBuilder()
                    .setOk(v.ok())
                    .setEntriesChecked(v.entriesChecked())
                    .setFirstBadIndex(v.firstBadIndex())
                    .setProblem(v.problem())
                    .setCheckpointsChecked(anchored.checkpointsChecked());
            anchored.witnessedHeads().forEach(h -> b.addWitnessedHeads(ByteString.copyFrom(h)));
            return Result.newBuilder().setAuditVerify(b).build();
        } catch (IOException e) {
            throw new CommandException(ErrorCode.INTERNAL, "cannot read the audit log: " + e.getMessage());
        }
    }

    private static Result revoke(AgentCore core, CommandContext ctx, Command cmd) throws CommandException {
        var r = cmd.getRevokeSessions();
        RevocationStatement statement;
        try {
            statement = RevocationStatement.decode(r.getRootSignature().toByteArray());
        } catch (CertificateException e) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENT, "revocation statement: " + e.getMessage());
        }
        ScrambleId root = ctx.root();
        if (!statement.root().equals(root)) {
            throw new CommandException(ErrorCode.PERMISSION, "a root can only revoke its own sessions");
        }
        if (statement.issuedBeforeMillis() != r.getIssuedBeforeMillis()) {
            throw new CommandException(ErrorCode.INVALID_ARGUMENT, "issued_before does not match the signed statement");
        }
        if (!statement.verify()) {
            throw new CommandException(ErrorCode.BAD_SIGNATURE, "the revocation is not signed by the root key");
        }
        try {
            boolean changed = core.revocations().add(statement);
            return Result.newBuilder()
                    .setAck(Ack.newBuilder()
                            .setMessage(
                                    changed
                                            ? "sessions of " + root.shortForm() + " issued before "
                                                    + java.time.Instant.ofEpochMilli(statement.issuedBeforeMillis())
                                                    + " are revoked"
                                            : "an equal or later revocation was already in force"))
                    .build();
        } catch (IOException | CertificateException e) {
            throw new CommandException(ErrorCode.INTERNAL, "revocation not saved: " + e.getMessage());
        }
    }
}
