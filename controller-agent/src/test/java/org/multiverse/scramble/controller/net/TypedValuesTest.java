package org.multiverse.scramble.controller.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TypedValuesTest {
    @Test
    void acceptsValidValues() {
        assertEquals("10.0.0.1", Ipv4.parse("10.0.0.1").toString());
        assertEquals("10.0.0.1/24", Cidr.parse("10.0.0.1/24").toString());
        assertEquals("mv-universe", new NamespaceName("mv-universe").value());
        assertEquals("eth0.100", InterfaceName.of("eth0.100").value());
        assertEquals("abcdefghijklmno", InterfaceName.of("abcdefghijklmno").value());
        Endpoint e = Endpoint.parse("10.9.9.1:51820");
        assertEquals(51820, e.port());
        assertEquals("10.9.9.1:51820", e.toString());
        assertTrue(Cidr.parse("10.0.0.0/24").contains(Ipv4.parse("10.0.0.200")));
        assertFalse(Cidr.parse("10.0.0.0/24").contains(Ipv4.parse("10.0.1.1")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(Ipv4.parse("192.0.2.1")));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "abcdefghijklmnop|interface name 'abcdefghijklmnop' is 16 characters; Linux allows at most 15",
                "-eth0|interface name '-eth0' must not start with '-'",
                "eth 0|interface name 'eth 0' contains a forbidden character at position 4",
                "eth;rm|interface name 'eth;rm' contains a forbidden character at position 4",
                "..|interface name '..' is reserved",
                "eth/0|interface name 'eth/0' contains a forbidden character at position 4"
            })
    void refusesBadInterfaceNames(String name, String message) {
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> InterfaceName.of(name))
                        .getMessage());
    }

    @Test
    void refusesEmptyAndControlCharacterNames() {
        assertEquals(
                "interface name is empty",
                assertThrows(IllegalArgumentException.class, () -> InterfaceName.of(""))
                        .getMessage());
        assertEquals(
                "interface name 'a\\u000ab' contains a forbidden character at position 2",
                assertThrows(IllegalArgumentException.class, () -> InterfaceName.of("a\nb"))
                        .getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "10.0.0",
                "10.0.0.0.1",
                "10.0.0.256",
                "010.0.0.1",
                "10.0.0.-1",
                "1e1.0.0.1",
                "10.0.0.1 ",
                "localhost",
                "999999999999999999999"
            })
    void refusesBadAddresses(String text) {
        assertThrows(IllegalArgumentException.class, () -> Ipv4.parse(text));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.0.1|CIDR '10.0.0.1' must be ADDRESS/PREFIX",
                "10.0.0.1/33|CIDR prefix length 33 is outside 0..32",
                "10.0.0.1/024|CIDR '10.0.0.1/024' has an invalid prefix length '024'",
                "255.255.255.255/32x|CIDR is too long (19 characters)",
                "10.0.0.1/04|CIDR '10.0.0.1/04' has an invalid prefix length '04'",
                "10.0.0.1/2/4|CIDR '10.0.0.1/2/4' must be ADDRESS/PREFIX",
                "10.0.0.1/x|CIDR '10.0.0.1/x' has an invalid prefix length 'x'"
            })
    void refusesBadCidrs(String text, String message) {
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text))
                        .getMessage());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "10.9.9.1:51820;reboot|endpoint '10.9.9.1:51820;reboot' contains the forbidden character ';' at position 15"
                        + " (only an IPv4 address and a port are accepted)",
                "$(reboot):1|endpoint '$(reboot):1' contains the forbidden character '$' at position 1"
                        + " (only an IPv4 address and a port are accepted)",
                "vpn.example.org:51820|endpoint 'vpn.example.org:51820' contains the forbidden character 'v' at position 1"
                        + " (only an IPv4 address and a port are accepted)",
                "10.9.9.1|endpoint '10.9.9.1' must be ADDRESS:PORT",
                "10.9.9.1:0|endpoint port 0 is outside 1..65535",
                "10.9.9.1:65536|endpoint port 65536 is outside 1..65535",
                "10.9.9.1:051820|endpoint '10.9.9.1:051820' has an invalid port '051820'",
                "10.9.9.1:1:2|endpoint '10.9.9.1:1:2' must be ADDRESS:PORT"
            })
    void refusesBadEndpoints(String text, String message) {
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(text))
                        .getMessage());
    }

    @Test
    void refusesHostileNamespaceNames() {
        assertThrows(IllegalArgumentException.class, () -> new NamespaceName("../etc"));
        assertThrows(IllegalArgumentException.class, () -> new NamespaceName("-n"));
        assertThrows(IllegalArgumentException.class, () -> new NamespaceName("a".repeat(65)));
    }

    @Test
    void printableEscapesAndCaps() {
        assertEquals("a\\u001b[31m", Printable.of("a\u001b[31m"));
        assertEquals("x".repeat(64) + "...", Printable.of("x".repeat(100)));
    }
}
