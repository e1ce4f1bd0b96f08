package org.multiverse.scramble.shell.registry;

import static org.multiverse.scramble.shell.registry.CommandSpec.command;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.multiverse.scramble.protocol.v1.AgentPing;
import org.multiverse.scramble.protocol.v1.AgentStatus;
import org.multiverse.scramble.protocol.v1.AgentSubscribe;
import org.multiverse.scramble.protocol.v1.AuditTail;
import org.multiverse.scramble.protocol.v1.AuditVerify;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Command.KindCase;
import org.multiverse.scramble.protocol.v1.ReloadPolicy;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RevokeSessions;

/** The commands every agent serves. They go to the host agent unless {@code --on router|rtos} says otherwise. */
final class AgentWideCommands {

    private AgentWideCommands() {}

    static List<CommandSpec> all() {
        return List.of(
                command(KindCase.AGENT_PING)
                        .help(
                                "Round trip through the whole pipeline: signed, verified, audited, sealed.",
                                "agent ping --on router")
                        .arg(ArgSpec.option("--payload", ArgType.TEXT, "text the agent echoes back"))
                        .answers(Result.KindCase.PONG)
                        .builds((a, c) -> Command.newBuilder()
                                .setAgentPing(AgentPing.newBuilder()
                                        .setPayload(
                                                ByteString.copyFrom(a.textOr("--payload", ""), StandardCharsets.UTF_8)))
                                .build()),
                command(KindCase.AGENT_STATUS)
                        .help(
                                "Uptime, version, channels, routes, your tokens left and refusal counters.",
                                "agent status")
                        .answers(Result.KindCase.AGENT_STATUS)
                        .builds((a, c) -> Command.newBuilder()
                                .setAgentStatus(AgentStatus.getDefaultInstance())
                                .build()),
                command(KindCase.AGENT_SUBSCRIBE)
                        .help(
                                "Receive the agent's events (sealed to this session) while the shell runs.",
                                "agent subscribe --kind portal.")
                        .arg(ArgSpec.repeated("--kind", ArgType.TEXT, "event kind prefix, e.g. portal. (default: all)"))
                        .answers(Result.KindCase.ACK)
                        .builds((a, c) -> Command.newBuilder()
                                .setAgentSubscribe(AgentSubscribe.newBuilder().addAllKinds(a.list("--kind")))
                                .build()),
                command(KindCase.AUDIT_TAIL)
                        .help("The last entries of the agent's audit log.", "audit tail -n 50")
                        .arg(ArgSpec.option("--lines", ArgType.UINT, "how many (default 20, at most 1000)", "-n"))
                        .answers(Result.KindCase.AUDIT_ENTRIES)
                        .builds((a, c) -> Command.newBuilder()
                                .setAuditTail(AuditTail.newBuilder().setLines(a.uint("--lines", 0)))
                                .build()),
                command(KindCase.AUDIT_VERIFY)
                        .help("Check the audit log's hash chain.", "audit verify --on router")
                        .answers(Result.KindCase.AUDIT_VERIFY)
                        .builds((a, c) -> Command.newBuilder()
                                .setAuditVerify(AuditVerify.getDefaultInstance())
                                .build()),
                command(KindCase.REVOKE_SESSIONS)
                        .help(
                                "Root-signed: refuse every session of your ID issued before TIME, on every agent "
                                        + "this shell knows (asks for the passphrase again). Agents not reached get it "
                                        + "at the next contact.",
                                "agent revoke-sessions --before now")
                        .arg(ArgSpec.option("--before", ArgType.INSTANT, "cut-off time (default: now)"))
                        .needsRootKey()
                        .sendsWith(SendStep.TO_EVERY_AGENT)
                        .answers(Result.KindCase.ACK)
                        .builds((a, c) -> {
                            long before = a.instant("--before", c.now())
                                    .orElse(c.now())
                                    .toEpochMilli();
                            return Command.newBuilder()
                                    .setRevokeSessions(RevokeSessions.newBuilder()
                                            .setIssuedBeforeMillis(before)
                                            .setRootSignature(ByteString.copyFrom(c.signRevocation(before))))
                                    .build();
                        }),
                command(KindCase.RELOAD_POLICY)
                        .help(
                                "Re-read the agent's policy file (a broken file keeps the old policy).",
                                "agent reload-policy --on host")
                        .answers(Result.KindCase.ACK)
                        .builds((a, c) -> Command.newBuilder()
                                .setReloadPolicy(ReloadPolicy.getDefaultInstance())
                                .build()));
    }
}
