package org.multiverse.scramble.controller.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.multiverse.scramble.controller.net.Cidr;

/**
 * Fuzzes the WireGuard profiles a person imports from a VPN provider ({@code router vpn add}):
 * for any text, a {@link ProfileFormatException} naming the file, or a profile that, written
 * back in the same format, parses to the same profile, and whose {@code wg setconf} text holds
 * only the keys we mean to give {@code wg} (no value can smuggle in a line of its own). Seeds:
 * {@code src/test/resources/.../WireGuardProfileParserFuzzTestInputs/parsesOrRefusesAndRoundTrips/}.
 */
class WireGuardProfileParserFuzzTest {

    private static final Set<String> SETCONF_KEYS =
            Set.of("PrivateKey", "FwMark", "PublicKey", "Endpoint", "AllowedIPs", "PersistentKeepalive");

    @FuzzTest(maxDuration = "2m")
    void parsesOrRefusesAndRoundTrips(byte[] input) throws ProfileFormatException {
        String text = new String(input, StandardCharsets.UTF_8);
        WireGuardProfile profile;
        try {
            profile = WireGuardProfileParser.parse("fuzz", "fuzz.conf", text);
        } catch (ProfileFormatException e) {
            assertTrue(e.getMessage().startsWith("fuzz.conf"), e.getMessage());
            return;
        }
        try {
            WireGuardProfile again = WireGuardProfileParser.parse("fuzz", "written.conf", written(profile));
            try {
                assertEquals(profile.privateKey(), again.privateKey());
                assertEquals(profile.addresses(), again.addresses());
                assertEquals(profile.peerPublicKey(), again.peerPublicKey());
                assertEquals(profile.endpoint(), again.endpoint());
                assertEquals(profile.allowedIps(), again.allowedIps());
                assertEquals(profile.persistentKeepalive(), again.persistentKeepalive());
            } finally {
                again.destroy();
            }
            String setconf = new String(profile.toWgSetconf(0x51), StandardCharsets.US_ASCII);
            for (String line : setconf.split("\n")) {
                if (line.isEmpty() || line.equals("[Interface]") || line.equals("[Peer]")) {
                    continue;
                }
                String key = line.substring(0, Math.max(0, line.indexOf(" = ")));
                assertTrue(
                        SETCONF_KEYS.contains(key),
                        line.replace(profile.privateKey().toBase64(), "(key)"));
            }
        } finally {
            profile.destroy();
        }
    }

    /** The profile in the import format, as a provider would write it. */
    private static String written(WireGuardProfile p) {
        return "[Interface]\nPrivateKey = " + p.privateKey().toBase64() + "\nAddress = " + join(p.addresses())
                + "\n[Peer]\nPublicKey = " + p.peerPublicKey().toBase64() + "\nEndpoint = " + p.endpoint()
                + "\nAllowedIPs = " + join(p.allowedIps()) + "\n"
                + (p.persistentKeepalive().isPresent()
                        ? "PersistentKeepalive = " + p.persistentKeepalive().getAsInt() + "\n"
                        : "");
    }

    private static String join(List<Cidr> cidrs) {
        return String.join(", ", cidrs.stream().map(Cidr::toString).toList());
    }
}
