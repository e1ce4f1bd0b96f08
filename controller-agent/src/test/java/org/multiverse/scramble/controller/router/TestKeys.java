package org.multiverse.scramble.controller.router;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/** Fresh X25519 key pairs in WireGuard's base64 form, from the JDK (no `wg genkey` needed). */
record TestKeys(String privateKey, String publicKey) {
    static TestKeys generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            byte[] pkcs8 = pair.getPrivate().getEncoded(); // 16-byte header + OCTET STRING(32)
            byte[] x509 = pair.getPublic().getEncoded(); // 12-byte header + 32-byte key
            byte[] priv = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
            byte[] pub = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
            return new TestKeys(
                    Base64.getEncoder().encodeToString(priv),
                    Base64.getEncoder().encodeToString(pub));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
