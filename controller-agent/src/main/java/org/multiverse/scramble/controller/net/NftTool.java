package org.multiverse.scramble.controller.net;

import java.nio.file.Path;
import java.util.List;
import org.multiverse.scramble.protocol.process.ProcessRunner;

/** nftables inside a namespace: load a ruleset file atomically, list it, edit set elements. */
public final class NftTool {
    private final ProcessRunner runner;

    public NftTool(ProcessRunner runner) {
        this.runner = runner;
    }

    /** Checks {@code file} without applying it ({@code nft -c}). */
    public void check(NamespaceName ns, Path file) {
        runner.check(List.of("ip", "netns", "exec", ns.value(), "nft", "-c", "-f", file.toString()));
    }

    /** Applies {@code file} as one transaction: all of it or none of it. */
    public void load(NamespaceName ns, Path file) {
        runner.check(List.of("ip", "netns", "exec", ns.value(), "nft", "-f", file.toString()));
    }

    /** The live ruleset of the namespace, as nft prints it. */
    public String listRuleset(NamespaceName ns) {
        return runner.check(List.of("ip", "netns", "exec", ns.value(), "nft", "list", "ruleset"))
                .stdoutText();
    }

    /** True if table {@code family name} exists in the namespace. */
    public boolean tableExists(NamespaceName ns, String family, String name) {
        return runner.run(List.of("ip", "netns", "exec", ns.value(), "nft", "list", "table", family, name))
                        .exitCode()
                == 0;
    }

    /** Adds an endpoint to an {@code ipv4_addr . inet_service} set. */
    public void addEndpoint(NamespaceName ns, String family, String table, String set, Endpoint endpoint) {
        runner.check(List.of(
                "ip",
                "netns",
                "exec",
                ns.value(),
                "nft",
                "add",
                "element",
                family,
                table,
                set,
                "{ " + endpoint.address() + " . " + endpoint.port() + " }"));
    }

    /** Removes an endpoint from an {@code ipv4_addr . inet_service} set. */
    public void deleteEndpoint(NamespaceName ns, String family, String table, String set, Endpoint endpoint) {
        runner.check(List.of(
                "ip",
                "netns",
                "exec",
                ns.value(),
                "nft",
                "delete",
                "element",
                family,
                table,
                set,
                "{ " + endpoint.address() + " . " + endpoint.port() + " }"));
    }
}
