package org.multiverse.scramble.controller.agent;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.XECPrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.multiverse.scramble.controller.vpn.ProfileFormatException;
import org.multiverse.scramble.controller.vpn.ProfileStore;

/**
 * The VPN profiles of {@code --demo}: valid WireGuard syntax towards documentation addresses
 * (RFC 5737, never routed), with keys generated when the demo starts, so no key of any kind is
 * committed. They go through the same validation as an operator's profile.
 */
final class DemoProfiles {

    /** Profile name to endpoint. */
    static final Map<String, String> ENDPOINTS = endpoints();
    /** The profile galaxy uses when the demo starts, so the whole chain shows as up. */
    static final String INITIAL = "demo-stockholm";

    private DemoProfiles() {}

    private static Map<String, String> endpoints() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("demo-stockholm", "192.0.2.10:51820");
        m.put("demo-zurich", "198.51.100.20:51820");
        return Collections.unmodifiableMap(m);
    }

    /** Stores every demo profile not yet in {@code store} and selects {@link #INITIAL} if none is in use. */
    static List<String> install(ProfileStore store) throws IOException, ProfileFormatException {
        List<String> existing = store.names();
        for (Map.Entry<String, String> e : ENDPOINTS.entrySet()) {
            if (!existing.contains(e.getKey())) {
                store.put(e.getKey(), profile(e.getValue()));
            }
        }
        if (store.active().isEmpty()) {
            store.setActive(Optional.of(INITIAL));
        }
        return store.names();
    }

    /** A profile with a fresh tunnel key and a fresh (unused) peer key. */
    static String profile(String endpoint) {
        String privateKey = privateKey();
        String peer = publicKey();
        return "# Scramble Shell demo profile: fake peer, keys generated at start\n"
                + "[Interface]\nPrivateKey = " + privateKey + "\nAddress = 10.66.0.2/32\n\n"
                + "[Peer]\nPublicKey = " + peer + "\nEndpoint = " + endpoint + "\nAllowedIPs = 0.0.0.0/0\n"
                + "PersistentKeepalive = 25\n";
    }

    private static String privateKey() {
        XECPrivateKey key = (XECPrivateKey) generate().getPrivate();
        byte[] scalar = key.getScalar().orElseThrow(() -> new IllegalStateException("X25519 key without scalar"));
        try {
            return Base64.getEncoder().encodeToString(scalar);
        } finally {
            Arrays.fill(scalar, (byte) 0);
        }
    }

    private static String publicKey() {
        byte[] x509 = generate().getPublic().getEncoded(); // 12-byte SubjectPublicKeyInfo header, then the key
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(x509, x509.length - 32, x509.length));
    }

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no X25519", e);
        }
    }
}
