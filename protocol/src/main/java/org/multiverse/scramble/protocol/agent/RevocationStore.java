package org.multiverse.scramble.protocol.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.multiverse.scramble.suite.cert.CertificateException;
import org.multiverse.scramble.suite.cert.RevocationList;
import org.multiverse.scramble.suite.cert.RevocationStatement;
import org.multiverse.scramble.suite.keyfile.PrivateFiles;

/**
 * Root-signed "revoke sessions issued before T" statements, kept in the state directory
 * (one hex-encoded statement per line) so that a restart does not bring a revoked session back.
 */
final class RevocationStore {

    private final Path file;
    private final RevocationList list = new RevocationList();

    private RevocationStore(Path file) {
        this.file = file;
    }

    static RevocationStore load(Path file) throws IOException {
        RevocationStore store = new RevocationStore(file);
        if (Files.exists(file)) {
            int lineNo = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    store.list.add(RevocationStatement.decode(HexFormat.of().parseHex(line.strip())));
                } catch (CertificateException | IllegalArgumentException e) {
                    throw new IOException(file + ":" + lineNo + ": bad revocation statement: " + e.getMessage());
                }
            }
        }
        return store;
    }

    RevocationList list() {
        return list;
    }

    /** Adds a verified statement and persists every statement before returning. */
    synchronized boolean add(RevocationStatement statement) throws IOException, CertificateException {
        boolean changed = list.add(statement);
        if (changed) {
            StringBuilder text = new StringBuilder();
            for (RevocationStatement s : list.statements()) {
                text.append(HexFormat.of().formatHex(s.encode())).append('\n');
            }
            PrivateFiles.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
        }
        return changed;
    }
}
