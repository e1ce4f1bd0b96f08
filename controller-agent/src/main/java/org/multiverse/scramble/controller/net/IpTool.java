package org.multiverse.scramble.controller.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.multiverse.scramble.protocol.process.ProcessResult;
import org.multiverse.scramble.protocol.process.ProcessRunner;

/**
 * The {@code ip} operations the routers need, each one program run with a validated
 * argument list. Namespace-scoped calls use {@code ip -n NS} or {@code ip netns exec NS}.
 */
public final class IpTool {
    /** sysctl keys we set are plain dotted names; nothing else may reach the command line. */
    private static final Pattern SYSCTL_KEY = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+){1,6}");

    private static final Pattern SYSCTL_VALUE = Pattern.compile("[0-9]{1,6}");

    private final ProcessRunner runner;

    public IpTool(ProcessRunner runner) {
        this.runner = runner;
    }

    public ProcessRunner runner() {
        return runner;
    }

    /** Names of all namespaces known to {@code ip netns}. */
    public List<String> namespaces() {
        return IpJson.namespaces(
                runner.check(List.of("ip", "-j", "netns", "list")).stdoutText());
    }

    public boolean namespaceExists(NamespaceName ns) {
        return namespaces().contains(ns.value());
    }

    public void addNamespace(NamespaceName ns) {
        runner.check(List.of("ip", "netns", "add", ns.value()));
    }

    /** Deletes the namespace if it exists. */
    public void deleteNamespace(NamespaceName ns) {
        if (namespaceExists(ns)) {
            runner.check(List.of("ip", "netns", "delete", ns.value()));
        }
    }

    /** Process ids whose network namespace is {@code ns}. */
    public List<Long> pids(NamespaceName ns) {
        List<Long> pids = new ArrayList<>();
        ProcessResult result = runner.run(List.of("ip", "netns", "pids", ns.value()));
        if (result.exitCode() != 0) {
            return pids;
        }
        for (String line : result.stdoutText().split("\n")) {
            String s = line.strip();
            if (!s.isEmpty()) {
                if (!s.chars().allMatch(Character::isDigit) || s.length() > 10) {
                    throw new IllegalArgumentException("ip netns pids: unexpected line '" + Printable.of(s) + "'");
                }
                pids.add(Long.parseLong(s));
            }
        }
        return pids;
    }

    /** Sets a sysctl inside the namespace (network sysctls are per namespace). */
    public void sysctl(NamespaceName ns, String key, String value) {
        if (!SYSCTL_KEY.matcher(key).matches() || !SYSCTL_VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("refusing sysctl " + Printable.of(key) + "=" + Printable.of(value));
        }
        runner.check(List.of("ip", "netns", "exec", ns.value(), "sysctl", "-q", "-w", key + "=" + value));
    }

    public boolean linkExists(Optional<NamespaceName> ns, InterfaceName name) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        ns.ifPresent(n -> argv.addAll(List.of("-n", n.value())));
        argv.addAll(List.of("link", "show", "dev", name.value()));
        return runner.run(argv).exitCode() == 0;
    }

    /** Creates a veth pair with each end directly inside its namespace (never visible in ours). */
    public void addVethPair(NamespaceName nsA, InterfaceName a, NamespaceName nsB, InterfaceName b) {
        runner.check(List.of(
                "ip",
                "link",
                "add",
                a.value(),
                "netns",
                nsA.value(),
                "type",
                "veth",
                "peer",
                "name",
                b.value(),
                "netns",
                nsB.value()));
    }

    /** Moves a link from the service's own namespace into {@code to}. */
    public void moveIntoNamespace(InterfaceName name, NamespaceName to) {
        runner.check(List.of("ip", "link", "set", "dev", name.value(), "netns", to.value()));
    }

    /** Moves a link out of {@code from} back into the namespace of process {@code pid}. */
    public void moveToNamespaceOfPid(NamespaceName from, InterfaceName name, long pid) {
        runner.check(
                List.of("ip", "-n", from.value(), "link", "set", "dev", name.value(), "netns", Long.toString(pid)));
    }

    public void setUp(NamespaceName ns, InterfaceName name) {
        runner.check(List.of("ip", "-n", ns.value(), "link", "set", "dev", name.value(), "up"));
    }

    public void setDown(NamespaceName ns, InterfaceName name) {
        runner.check(List.of("ip", "-n", ns.value(), "link", "set", "dev", name.value(), "down"));
    }

    public void deleteLink(NamespaceName ns, InterfaceName name) {
        runner.check(List.of("ip", "-n", ns.value(), "link", "delete", "dev", name.value()));
    }

    /** Adds the address, or leaves it if already present. */
    public void replaceAddress(NamespaceName ns, InterfaceName name, Cidr address) {
        runner.check(List.of("ip", "-n", ns.value(), "addr", "replace", address.toString(), "dev", name.value()));
    }

    public void deleteAddress(NamespaceName ns, InterfaceName name, Cidr address) {
        runner.check(List.of("ip", "-n", ns.value(), "addr", "del", address.toString(), "dev", name.value()));
    }

    /**
     * Adds or replaces a route; {@code destination} is null for the default route.
     * {@code via} may be empty for a device route (a point-to-point tunnel).
     */
    public void replaceRoute(NamespaceName ns, Cidr destination, Optional<Ipv4> via, InterfaceName dev) {
        replaceRoute(ns, destination, via, dev, 0);
    }

    /** As {@link #replaceRoute(NamespaceName, Cidr, Optional, InterfaceName)} in routing table {@code table} (0: main). */
    public void replaceRoute(NamespaceName ns, Cidr destination, Optional<Ipv4> via, InterfaceName dev, int table) {
        List<String> argv = new ArrayList<>(List.of(
                "ip", "-n", ns.value(), "route", "replace", destination == null ? "default" : destination.toString()));
        via.ifPresent(v -> argv.addAll(List.of("via", v.toString())));
        argv.addAll(List.of("dev", dev.value()));
        if (table != 0) {
            argv.addAll(List.of("table", Integer.toString(table)));
        }
        runner.check(argv);
    }

    /** Ensures the policy rule "packets marked {@code mark} use table {@code table}" exists. */
    public void ensureFwmarkRule(NamespaceName ns, int mark, int table, int priority) {
        String hex = "0x" + Integer.toHexString(mark);
        String rules = runner.check(List.of("ip", "-n", ns.value(), "-4", "rule", "show"))
                .stdoutText();
        if (!rules.contains("fwmark " + hex + " lookup " + table)) {
            runner.check(List.of(
                    "ip",
                    "-n",
                    ns.value(),
                    "-4",
                    "rule",
                    "add",
                    "fwmark",
                    hex,
                    "lookup",
                    Integer.toString(table),
                    "priority",
                    Integer.toString(priority)));
        }
    }

    /** Deletes a route if present. */
    public void deleteRoute(NamespaceName ns, Cidr destination) {
        runner.run(List.of("ip", "-n", ns.value(), "route", "del", destination.toString()));
    }

    /** Interfaces with addresses and byte counters. */
    public List<LinkInfo> links(NamespaceName ns) {
        String links = runner.check(List.of("ip", "-n", ns.value(), "-s", "-j", "link", "show"))
                .stdoutText();
        String addrs = runner.check(List.of("ip", "-n", ns.value(), "-j", "addr", "show"))
                .stdoutText();
        return IpJson.links(links, addrs);
    }

    /** IPv4 main-table routes. */
    public List<RouteInfo> routes(NamespaceName ns) {
        return IpJson.routes(runner.check(List.of("ip", "-n", ns.value(), "-j", "-4", "route", "show"))
                .stdoutText());
    }
}
