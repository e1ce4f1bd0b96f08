package org.multiverse.scramble.controller.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import org.multiverse.scramble.controller.router.RouterException;
import org.multiverse.scramble.controller.router.RouterName;
import org.multiverse.scramble.controller.router.RouterService;
import org.multiverse.scramble.controller.router.RouterSummary;
import org.multiverse.scramble.protocol.agent.CommandException;
import org.multiverse.scramble.protocol.agent.EventHub;
import org.multiverse.scramble.protocol.agent.HandlerRegistry;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Result;

/**
 * The controller agent's closed command set: one handler per router command of
 * commands.proto, each checking its arguments ({@link RouterArguments}) before the router
 * service sees them, answering with a typed result ({@link RouterResults}) or the service's
 * failure as an error code ({@link RouterErrors}). Commands that change a router publish a
 * {@code router.state} event, whether they succeeded or not, so a dashboard sees the outcome.
 */
final class RouterHandlers {

    /** Event kind for router state changes (subscribers filter on the prefix "router."). */
    static final org.multiverse.scramble.protocol.v1.EventKind STATE_EVENT =
            org.multiverse.scramble.protocol.v1.EventKind.ROUTER_STATE;

    private final RouterService service;
    private final EventHub events;

    RouterHandlers(RouterService service, EventHub events) {
        this.service = service;
        this.events = events;
    }

    void registerOn(HandlerRegistry registry) {
        registry.register(Command.KindCase.ROUTER_LIST, (ctx, cmd) -> query(() -> RouterResults.list(service.list())));
        registry.register(Command.KindCase.ROUTER_STATUS, (ctx, cmd) -> {
            RouterName router = RouterArguments.router(cmd.getRouterStatus().getName());
            return query(() -> RouterResults.status(service.status(router.id())));
        });
        registry.register(Command.KindCase.ROUTER_RESTART, (ctx, cmd) -> {
            RouterName router = RouterArguments.router(cmd.getRouterRestart().getName());
            return change(router, "restart", Map.of(), () -> {
                service.restart(router.id());
                return RouterResults.ack(router + " restarted: its daemon restarted and its firewall reloaded");
            });
        });
        registry.register(Command.KindCase.ROUTER_RESET, (ctx, cmd) -> {
            RouterName router = RouterArguments.router(cmd.getRouterReset().getName());
            return change(router, "reset", Map.of(), () -> {
                service.reset(router.id());
                return RouterResults.ack(router + " reset: destroyed and rebuilt from its configuration");
            });
        });
        registry.register(Command.KindCase.VPN_USE, (ctx, cmd) -> {
            String profile = RouterArguments.profile(cmd.getVpnUse().getProfile());
            return change(
                    RouterName.GALAXY,
                    "vpn-use",
                    Map.of("profile", profile),
                    () -> RouterResults.vpn(service.vpnUse(profile)));
        });
        registry.register(
                Command.KindCase.VPN_STATUS, (ctx, cmd) -> query(() -> RouterResults.vpn(service.vpnStatus())));
        registry.register(
                Command.KindCase.VPN_PROFILE_LIST,
                (ctx, cmd) -> query(() -> RouterResults.profiles(service.vpnProfiles())));
        registry.register(
                Command.KindCase.TOR_STATUS, (ctx, cmd) -> query(() -> RouterResults.tor(service.torStatus())));
        registry.register(
                Command.KindCase.TOR_NEWNYM,
                (ctx, cmd) -> change(
                        RouterName.STAR, "tor-newnym", Map.of(), () -> RouterResults.newnym(service.torNewnym())));
        registry.register(Command.KindCase.FIREWALL_SHOW, (ctx, cmd) -> {
            RouterName router = RouterArguments.router(cmd.getFirewallShow().getName());
            return query(() -> RouterResults.text(service.firewallShow(router.id())));
        });
    }

    @FunctionalInterface
    private interface RouterCall {
        Result call() throws RouterException;
    }

    private static Result query(RouterCall call) throws CommandException {
        try {
            return call.call();
        } catch (RouterException e) {
            throw RouterErrors.toCommandException(e);
        }
    }

    private Result change(RouterName router, String action, Map<String, String> details, RouterCall call)
            throws CommandException {
        try {
            Result result = call.call();
            publish(router, action, "ok", details, router + ": " + action + " done");
            return result;
        } catch (RouterException e) {
            publish(
                    router,
                    action,
                    RouterErrors.code(e.kind()).name(),
                    details,
                    router + ": " + action + " failed: " + e.getMessage());
            throw RouterErrors.toCommandException(e);
        }
    }

    /** Publishes a {@code router.state} event carrying the router's state as it is now. */
    void publish(RouterName router, String action, String outcome, Map<String, String> details, String text) {
        Map<String, String> attributes = new LinkedHashMap<>(details);
        attributes.put("router", router.id());
        attributes.put("action", action);
        attributes.put("outcome", outcome);
        try {
            for (RouterSummary s : service.list()) {
                if (s.name().equals(router.id())) {
                    attributes.put("up", Boolean.toString(s.up()));
                }
            }
        } catch (RouterException e) {
            attributes.put("up", "unknown");
        }
        events.publish(STATE_EVENT, router.id(), text, attributes);
    }
}
