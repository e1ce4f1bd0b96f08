package org.multiverse.scramble.controller.vpn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import org.multiverse.scramble.controller.net.Cidr;
import org.multiverse.scramble.controller.net.Endpoint;

/**
 * One validated VPN profile for galaxy: the tunnel's own key and addresses and exactly one
 * peer (the chain has one way out, so one endpoint the kill switch lets through).
 */
public record WireGuardProfile(
        String name,
        WireGuardKey privateKey,
        List<Cidr> addresses,
        WireGuardKey peerPublicKey,
        Endpoint endpoint,
        List<Cidr> allowedIps,
        OptionalInt persistentKeepalive) {
    public WireGuardProfile {
        addresses = List.copyOf(addresses);
        allowedIps = List.copyOf(allowedIps);
    }

    /**
     * The configuration in {@code wg setconf} format, the tunnel's own UDP packets marked
     * {@code fwMark} (0: unmarked). Holds the private key: the caller writes it to a 0600
     * file and zeroes the array.
     */
    public byte[] toWgSetconf(int fwMark) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, "[Interface]\nPrivateKey = ");
        write(out, privateKey.toBase64());
        if (fwMark != 0) {
            write(out, "\nFwMark = 0x" + Integer.toHexString(fwMark));
        }
        write(
                out,
                "\n\n[Peer]\nPublicKey = " + peerPublicKey.toBase64() + "\nEndpoint = " + endpoint + "\nAllowedIPs = "
                        + String.join(
                                ", ", allowedIps.stream().map(Cidr::toString).toList()) + "\n");
        persistentKeepalive.ifPresent(k -> write(out, "PersistentKeepalive = " + k + "\n"));
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Zeroes the private key. */
    public void destroy() {
        privateKey.destroy();
    }

    @Override
    public String toString() {
        return "WireGuardProfile[" + name + ", endpoint " + endpoint + ", addresses " + addresses + "]";
    }
}
