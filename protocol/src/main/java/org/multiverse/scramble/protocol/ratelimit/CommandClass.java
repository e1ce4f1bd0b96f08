package org.multiverse.scramble.protocol.ratelimit;

import org.multiverse.scramble.protocol.v1.Command;

/**
 * Rate-limit classes of commands: commands of similar cost share a bucket per identity,
 * so a loop of cheap queries cannot starve a portal start, and a loop of restarts cannot
 * hammer QEMU or a router.
 */
public enum CommandClass {
  /** Read-only questions answered from the agent's memory or a quick look. */
  QUERY,
  /** Portal lifecycle: define, start, stop, snapshot... each drives QEMU. */
  LIFECYCLE,
  /** Changes to the 9p share's links. */
  SHARE,
  /** Router, VPN and Tor changes on the controller. */
  ROUTER,
  /** Anything that reaches an RTOS node over its slow link. */
  RTOS,
  /** Agent-wide actions: subscriptions, policy reload, revocation, audit verification. */
  AGENT;

  /**
   * The class of a command kind. The switch is exhaustive without a default, so adding a
   * command to the schema fails to compile until it is given a class here.
   *
   * @param kind the command's oneof case
   * @return its class; {@code KIND_NOT_SET} (an unknown command from a newer shell, which
   *     is answered with an error and does nothing) is charged as {@link #QUERY}, the
   *     cheapest class, so it is still limited
   */
  public static CommandClass of(Command.KindCase kind) {
    return switch (kind) {
      case AGENT_PING, AGENT_STATUS, AUDIT_TAIL -> QUERY;
      case AGENT_SUBSCRIBE, AUDIT_VERIFY, REVOKE_SESSIONS, RELOAD_POLICY -> AGENT;
      case PORTAL_LIST, PORTAL_SHOW, PORTAL_CONSOLE_TAIL, PORTAL_SNAPSHOT_LIST, TEMPLATE_LIST -> QUERY;
      case PORTAL_DEFINE, PORTAL_UNDEFINE, PORTAL_START, PORTAL_STOP, PORTAL_KILL, PORTAL_PAUSE,
          PORTAL_RESUME, PORTAL_RESET, PORTAL_SNAPSHOT, PORTAL_REVERT -> LIFECYCLE;
      case SHARE_LIST, SHARE_FSTAB -> QUERY;
      case SHARE_LINK, SHARE_UNLINK -> SHARE;
      case ROUTER_LIST, ROUTER_STATUS, VPN_STATUS, VPN_PROFILE_LIST, TOR_STATUS, FIREWALL_SHOW -> QUERY;
      case ROUTER_RESTART, ROUTER_RESET, VPN_USE, TOR_NEWNYM -> ROUTER;
      case RTOS_LIST, RTOS_PING, RTOS_INFO, RTOS_READ, RTOS_WRITE, RTOS_STREAM, RTOS_TIME_SYNC -> RTOS;
      case KIND_NOT_SET -> QUERY;
    };
  }
}
