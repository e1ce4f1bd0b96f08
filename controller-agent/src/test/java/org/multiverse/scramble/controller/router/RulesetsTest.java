package org.multiverse.scramble.controller.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.controller.net.Endpoint;
import org.multiverse.scramble.controller.net.InterfaceName;
import org.multiverse.scramble.protocol.process.ProcessResult;
import org.multiverse.scramble.protocol.process.SystemProcessRunner;

class RulesetsTest {
    final ChainLayout layout = new ChainLayout("mv-");

    @Test
    void galaxyLetsOnlyMarkedTunnelUdpTowardsUniverse() {
        String rules = Rulesets.galaxy(layout, Optional.of(Endpoint.parse("10.9.9.1:51820")));
        assertTrue(rules.contains("elements = { 10.9.9.1 . 51820 }"));
        assertTrue(rules.contains("oifname \"mv-gu\" meta mark 0x4d56 ip daddr . udp dport @wg_endpoints accept"));
        assertTrue(rules.contains("iifname \"mv-gs\" oifname \"mv-wg\" accept"));
        assertFalse(rules.contains("iifname \"mv-gs\" oifname \"mv-gu\""), "star must never be forwarded to universe");
        assertEquals(3, rules.split("policy drop").length - 1, "input, forward, output drop by default");
        assertFalse(Rulesets.galaxy(layout, Optional.empty()).contains("elements"));
    }

    @Test
    void starRedirectsTcpAndDnsAndDropsTheRest() {
        String rules = Rulesets.star(layout);
        assertTrue(rules.contains("iifname \"mv-sc\" meta l4proto tcp redirect to :9040"));
        assertTrue(rules.contains("iifname \"mv-sc\" udp dport 53 redirect to :5353"));
        assertTrue(rules.contains("chain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n\t}"));
    }

    /** nft itself accepts every ruleset (checked with -c in a scratch namespace, nothing applied). */
    @Test
    void nftAcceptsEveryRuleset(@TempDir Path dir) throws Exception {
        Requirements.require("ip", "nft");
        SystemProcessRunner runner = new SystemProcessRunner();
        String ns = "mvt-rules-" + ProcessHandle.current().pid();
        assertEquals(0, runner.run(List.of("ip", "netns", "add", ns)).exitCode());
        try {
            for (RouterName r : RouterName.values()) {
                Path file = dir.resolve(r.id() + ".nft");
                Files.writeString(
                        file,
                        Rulesets.forRouter(
                                r, layout, InterfaceName.of("eth0"), Optional.of(Endpoint.parse("192.0.2.7:51820"))));
                ProcessResult result =
                        runner.run(List.of("ip", "netns", "exec", ns, "nft", "-c", "-f", file.toString()));
                assertEquals(0, result.exitCode(), r + ": " + result.stderr());
            }
        } finally {
            runner.run(List.of("ip", "netns", "delete", ns));
        }
    }
}
