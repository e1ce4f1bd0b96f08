package org.multiverse.scramble.controller.vpn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.multiverse.scramble.controller.net.Cidr;
import org.multiverse.scramble.controller.net.Endpoint;

class WireGuardProfileParserTest {
    static final String PRIV = Base64.getEncoder().encodeToString(bytes(1));
    static final String PUB = Base64.getEncoder().encodeToString(bytes(2));
    static final String GOOD = "# a comment\n[Interface]\nPrivateKey = " + PRIV + "\nAddress = 10.66.0.2/32\n\n"
            + "[Peer]\n; another comment\nPublicKey = " + PUB + "\nEndpoint = 10.9.9.1:51820\n"
            + "AllowedIPs = 0.0.0.0/0, 10.0.0.0/8\nPersistentKeepalive = 25\n";

    static byte[] bytes(int seed) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    @Test
    void parsesTheSubset() throws Exception {
        WireGuardProfile p = WireGuardProfileParser.parse("alpha", "alpha.conf", GOOD);
        assertEquals("alpha", p.name());
        assertEquals(List.of(Cidr.parse("10.66.0.2/32")), p.addresses());
        assertEquals(Endpoint.parse("10.9.9.1:51820"), p.endpoint());
        assertEquals(List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("10.0.0.0/8")), p.allowedIps());
        assertEquals(OptionalInt.of(25), p.persistentKeepalive());
        assertFalse(p.toString().contains(PRIV));
        assertEquals("WireGuardKey[redacted]", p.privateKey().toString());
        String conf = new String(p.toWgSetconf(0x4d56), StandardCharsets.US_ASCII);
        assertEquals(
                "[Interface]\nPrivateKey = " + PRIV + "\nFwMark = 0x4d56\n\n[Peer]\nPublicKey = " + PUB
                        + "\nEndpoint = 10.9.9.1:51820\nAllowedIPs = 0.0.0.0/0, 10.0.0.0/8\nPersistentKeepalive = 25\n",
                conf);
        assertFalse(new String(p.toWgSetconf(0), StandardCharsets.US_ASCII).contains("FwMark"));
        p.destroy();
        assertEquals(
                Base64.getEncoder().encodeToString(new byte[32]), p.privateKey().toBase64());
    }

    @Test
    void acceptsCrlfLineEndings() throws Exception {
        assertEquals(
                Endpoint.parse("10.9.9.1:51820"),
                WireGuardProfileParser.parse("a", "a.conf", GOOD.replace("\n", "\r\n"))
                        .endpoint());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "PrivateKey = " + "PRIVKEY"
                        + "|PrivateKey = not-a-key|p.conf:3: PrivateKey: key must be 44 base64 characters, got 9",
                "PrivateKey = PRIVKEY|PrivateKey = "
                        + "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!=|p.conf:3: PrivateKey: key is not valid base64",
                "PublicKey = PUBKEY|PublicKey = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=|p.conf:8: PublicKey: key is all zeros",
                "PublicKey = PUBKEY|PublicKey = AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQF=|p.conf:8: PublicKey: key is not in canonical base64 form",
                "Endpoint = 10.9.9.1:51820|Endpoint = 10.9.9.1:51820;reboot|p.conf:9: Endpoint: endpoint '10.9.9.1:51820;reboot' contains the forbidden character ';' at position 15 (only an IPv4 address and a port are accepted)",
                "Endpoint = 10.9.9.1:51820|Endpoint = vpn.example.org:51820|p.conf:9: Endpoint: endpoint 'vpn.example.org:51820' contains the forbidden character 'v' at position 1 (only an IPv4 address and a port are accepted)",
                "Address = 10.66.0.2/32|Address = fd00::2/128|p.conf:4: Address: CIDR 'fd00::2/128' has an invalid prefix length '128' (IPv4 only: the chain disables IPv6)",
                "Address = 10.66.0.2/32|PostUp = iptables -F|p.conf:4: unknown key 'PostUp' in [Interface] (allowed: PrivateKey, Address)",
                "Address = 10.66.0.2/32|DNS = 1.1.1.1|p.conf:4: unknown key 'DNS' in [Interface] (allowed: PrivateKey, Address)",
                "PersistentKeepalive = 25|PersistentKeepalive = 70000|p.conf:11: PersistentKeepalive must be 0..65535 seconds",
                "PersistentKeepalive = 25|PersistentKeepalive = -1|p.conf:11: PersistentKeepalive must be 0..65535 seconds",
                "PersistentKeepalive = 25|Endpoint = 10.9.9.1:1|p.conf:11: duplicate key 'Endpoint' (first on line 9)",
                "[Peer]|[Peers]|p.conf:6: unknown section [Peers]",
                "# a comment|PrivateKey = x|p.conf:1: key outside of a section",
                "AllowedIPs = 0.0.0.0/0, 10.0.0.0/8|AllowedIPs =|p.conf:10: empty value for 'AllowedIPs'",
                "AllowedIPs = 0.0.0.0/0, 10.0.0.0/8|AllowedIPs 0.0.0.0/0|p.conf:10: expected KEY = VALUE",
                "[Interface]|[Section]|p.conf:2: unknown section [Section]"
            })
    void refusesMalformedProfilesWithFileAndLine(String find, String replace, String message) {
        String text = GOOD.replace("PRIVKEY", PRIV).replace("PUBKEY", PUB);
        String bad = text.replace(find.replace("PRIVKEY", PRIV).replace("PUBKEY", PUB), replace);
        assertTrue(!bad.equals(text), "replacement did not apply: " + find);
        assertEquals(
                message,
                assertThrows(ProfileFormatException.class, () -> WireGuardProfileParser.parse("p", "p.conf", bad))
                        .getMessage());
    }

    @Test
    void refusesASecondPeerAndControlCharacters() {
        assertEquals(
                "p.conf:7: second [Peer] section: galaxy uses exactly one peer",
                assertThrows(
                                ProfileFormatException.class,
                                () -> WireGuardProfileParser.parse(
                                        "p", "p.conf", GOOD.replace("[Peer]", "[Peer]\n[Peer]")))
                        .getMessage());
        assertEquals(
                "p.conf:4: non-printable or non-ASCII character at column 23",
                assertThrows(
                                ProfileFormatException.class,
                                () -> WireGuardProfileParser.parse(
                                        "p", "p.conf", GOOD.replace("10.66.0.2/32", "10.66.0.2/32\u001b[2J")))
                        .getMessage());
        assertEquals(
                "p.conf:4: non-printable or non-ASCII character at column 11",
                assertThrows(
                                ProfileFormatException.class,
                                () -> WireGuardProfileParser.parse(
                                        "p", "p.conf", GOOD.replace("10.66.0.2/32", "\u00e910.66.0.2/32")))
                        .getMessage());
    }

    @Test
    void refusesMissingPartsAndOversizedInput() {
        assertEquals(
                "p.conf:0: missing [Peer] section",
                assertThrows(
                                ProfileFormatException.class,
                                () -> WireGuardProfileParser.parse(
                                        "p", "p.conf", "[Interface]\nPrivateKey = " + PRIV + "\n"))
                        .getMessage());
        assertEquals(
                "p.conf:0: [Peer] is missing Endpoint",
                assertThrows(
                                ProfileFormatException.class,
                                () -> WireGuardProfileParser.parse(
                                        "p", "p.conf", GOOD.replace("Endpoint = 10.9.9.1:51820\n", "")))
                        .getMessage());
        assertEquals(
                "p.conf:0: missing [Interface] section",
                assertThrows(ProfileFormatException.class, () -> WireGuardProfileParser.parse("p", "p.conf", ""))
                        .getMessage());
        assertEquals(
                "p.conf:0: profile is larger than 16384 bytes",
                assertThrows(
                                ProfileFormatException.class,
                                () -> WireGuardProfileParser.parse("p", "p.conf", "#".repeat(20000)))
                        .getMessage());
        assertEquals(
                "p.conf:1: line longer than 512 characters",
                assertThrows(
                                ProfileFormatException.class,
                                () -> WireGuardProfileParser.parse("p", "p.conf", "#" + "x".repeat(600)))
                        .getMessage());
        String manyIps = GOOD.replace("0.0.0.0/0, 10.0.0.0/8", "1.0.0.0/8,".repeat(32) + "1.0.0.0/8");
        assertEquals(
                "p.conf:10: AllowedIPs: more than 32 entries",
                assertThrows(ProfileFormatException.class, () -> WireGuardProfileParser.parse("p", "p.conf", manyIps))
                        .getMessage());
    }

    @Test
    void keysCompareByValueInConstantTime() {
        assertEquals(WireGuardKey.parse(PUB), WireGuardKey.parse(PUB));
        assertFalse(WireGuardKey.parse(PUB).equals(WireGuardKey.parse(PRIV)));
        assertArrayEquals(
                bytes(2), Base64.getDecoder().decode(WireGuardKey.parse(PUB).toBase64()));
    }
}
