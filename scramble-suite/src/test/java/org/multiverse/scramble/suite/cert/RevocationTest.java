package org.multiverse.scramble.suite.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiverse.scramble.suite.cert.CertificateFixtures.identity;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.suite.cert.CertificateException.Reason;
import org.multiverse.scramble.suite.identity.Identity;

class RevocationTest {

    private final Identity root = identity(20);
    private final Identity other = identity(21);

    @Test
    void signedStatementVerifiesAndRoundTrips() throws Exception {
        RevocationStatement s = RevocationStatement.sign(root, 1_700_000_000_000L);
        assertTrue(s.verify());
        byte[] encoded = s.encode();
        assertEquals(RevocationStatement.ENCODED_LENGTH, encoded.length);
        RevocationStatement back = RevocationStatement.decode(encoded);
        assertTrue(back.verify());
        assertEquals(root.id(), back.root());
        assertEquals(1_700_000_000_000L, back.issuedBeforeMillis());
    }

    @Test
    void everyBitFlipBreaksTheStatement() throws Exception {
        byte[] good = RevocationStatement.sign(root, 1_700_000_000_000L).encode();
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] flipped = good.clone();
            flipped[bit >>> 3] ^= (byte) (1 << (bit & 7));
            try {
                assertFalse(RevocationStatement.decode(flipped).verify(), "bit " + bit);
            } catch (CertificateException e) {
                assertEquals(Reason.MALFORMED, e.reason());
            }
        }
    }

    @Test
    void malformedEncodingsAreRefused() {
        byte[] good = RevocationStatement.sign(root, 5).encode();
        assertThrows(CertificateException.class, () -> RevocationStatement.decode(null));
        assertThrows(CertificateException.class, () -> RevocationStatement.decode(Arrays.copyOf(good, 104)));
        assertThrows(CertificateException.class, () -> RevocationStatement.decode(Arrays.copyOf(good, 106)));
        byte[] v2 = good.clone();
        v2[0] = 2;
        assertEquals(
                "MALFORMED: unknown revocation version 2",
                assertThrows(CertificateException.class, () -> RevocationStatement.decode(v2))
                        .getMessage());
    }

    @Test
    void listRefusesForgedStatements() throws Exception {
        byte[] forged = RevocationStatement.sign(other, 99).encode();
        System.arraycopy(root.id().publicKey(), 0, forged, 1, 32);
        RevocationList list = new RevocationList();
        CertificateException e =
                assertThrows(CertificateException.class, () -> list.add(RevocationStatement.decode(forged)));
        assertEquals(Reason.BAD_SIGNATURE, e.reason());
        assertTrue(list.statements().isEmpty());
    }

    @Test
    void listKeepsTheLatestCutOffPerRoot() throws Exception {
        RevocationList list = new RevocationList();
        assertTrue(list.add(RevocationStatement.sign(root, 200)));
        assertFalse(list.add(RevocationStatement.sign(root, 100)), "an older statement changes nothing");
        assertFalse(list.add(RevocationStatement.sign(root, 200)));
        assertEquals(200, list.statementFor(root.id()).orElseThrow().issuedBeforeMillis());
        assertTrue(list.add(RevocationStatement.sign(root, 300)));
        assertTrue(list.add(RevocationStatement.sign(other, 50)));
        assertEquals(300, list.statementFor(root.id()).orElseThrow().issuedBeforeMillis());
        assertEquals(2, list.statements().size());
    }
}
