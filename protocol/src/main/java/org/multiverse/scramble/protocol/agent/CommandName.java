package org.multiverse.scramble.protocol.agent;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.multiverse.scramble.protocol.v1.Command;

/**
 * The dotted name of each command ({@code portal.start}, {@code router.vpn.use}), as it
 * appears in policy files, audit entries and the shell. One name per {@link Command.KindCase};
 * the switch is exhaustive so a new command cannot be added without a name.
 */
public final class CommandName {

    private static final Map<String, Command.KindCase> BY_NAME = Arrays.stream(Command.KindCase.values())
            .filter(k -> k != Command.KindCase.KIND_NOT_SET)
            .collect(Collectors.toUnmodifiableMap(CommandName::of, Function.identity()));

    private CommandName() {
    }

    /** The dotted name of a command kind; {@code "none"} for an empty command. */
    public static String of(Command.KindCase kind) {
        return switch (kind) {
            case AGENT_PING -> "agent.ping";
            case AGENT_STATUS -> "agent.status";
            case AGENT_SUBSCRIBE -> "agent.subscribe";
            case AUDIT_TAIL -> "audit.tail";
            case AUDIT_VERIFY -> "audit.verify";
            case REVOKE_SESSIONS -> "agent.revoke-sessions";
            case RELOAD_POLICY -> "agent.reload-policy";
            case PORTAL_LIST -> "portal.list";
            case PORTAL_SHOW -> "portal.show";
            case PORTAL_DEFINE -> "portal.define";
            case PORTAL_UNDEFINE -> "portal.undefine";
            case PORTAL_START -> "portal.start";
            case PORTAL_STOP -> "portal.stop";
            case PORTAL_KILL -> "portal.kill";
            case PORTAL_PAUSE -> "portal.pause";
            case PORTAL_RESUME -> "portal.resume";
            case PORTAL_RESET -> "portal.reset";
            case PORTAL_SNAPSHOT -> "portal.snapshot";
            case PORTAL_REVERT -> "portal.revert";
            case PORTAL_CONSOLE_TAIL -> "portal.console.tail";
            case PORTAL_SNAPSHOT_LIST -> "portal.snapshot.list";
            case TEMPLATE_LIST -> "portal.templates";
            case SHARE_LIST -> "share.list";
            case SHARE_LINK -> "share.link";
            case SHARE_UNLINK -> "share.unlink";
            case SHARE_FSTAB -> "share.fstab";
            case ROUTER_LIST -> "router.list";
            case ROUTER_STATUS -> "router.status";
            case ROUTER_RESTART -> "router.restart";
            case ROUTER_RESET -> "router.reset";
            case VPN_USE -> "router.vpn.use";
            case VPN_STATUS -> "router.vpn.status";
            case VPN_PROFILE_LIST -> "router.vpn.profiles";
            case TOR_NEWNYM -> "router.tor.newnym";
            case TOR_STATUS -> "router.tor.status";
            case FIREWALL_SHOW -> "router.firewall.show";
            case RTOS_LIST -> "rtos.list";
            case RTOS_PING -> "rtos.ping";
            case RTOS_INFO -> "rtos.info";
            case RTOS_READ -> "rtos.read";
            case RTOS_WRITE -> "rtos.write";
            case RTOS_STREAM -> "rtos.stream";
            case RTOS_TIME_SYNC -> "rtos.time-sync";
            case KIND_NOT_SET -> "none";
        };
    }

    /** The command kind with this dotted name, if any. */
    public static Optional<Command.KindCase> parse(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Every known dotted name (for policy validation and completion). */
    public static java.util.Set<String> all() {
        return BY_NAME.keySet();
    }
}
