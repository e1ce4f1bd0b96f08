package org.multiverse.scramble.shell.connect;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.multiverse.scramble.protocol.v1.RevokeSessions;
import org.multiverse.scramble.suite.keyfile.PrivateFiles;

/**
 * Root-signed revocations that an agent has not confirmed yet, per agent name ({@code host},
 * {@code router}, {@code rtos}), kept in a file beside the pinned agents (mode 0600) so that the
 * next run of the shell delivers them on first contact with that agent. Each line is
 * {@code NAME HEX} where HEX is the {@code RevokeSessions} message as signed once by the root;
 * nothing secret is in it. Per agent only the latest cut-off is kept: it covers the earlier ones.
 */
public final class PendingRevocations {

    /** Longer than any sane file of three agents' revocations; a bigger one is not ours. */
    static final long MAX_FILE_BYTES = 64 * 1024;

    private final Path file;

    public PendingRevocations(Path file) {
        this.file = file;
    }

    /** The file they are kept in. */
    public Path file() {
        return file;
    }

    /** The revocation still owed to {@code agent}, if any. */
    public synchronized Optional<RevokeSessions> pendingFor(String agent) throws IOException {
        return Optional.ofNullable(read().get(agent));
    }

    /** Every revocation still owed, by agent name. */
    public synchronized Map<String, RevokeSessions> all() throws IOException {
        return read();
    }

    /** Remembers that {@code agent} still needs {@code revocation} (unless a later cut-off is already owed). */
    public synchronized void add(String agent, RevokeSessions revocation) throws IOException {
        Map<String, RevokeSessions> all = read();
        RevokeSessions owed = all.get(agent);
        if (owed == null || owed.getIssuedBeforeMillis() < revocation.getIssuedBeforeMillis()) {
            all.put(agent, revocation);
            write(all);
        }
    }

    /** Forgets what {@code agent} owed once it confirmed {@code revocation} (or a later one). */
    public synchronized void confirmed(String agent, RevokeSessions revocation) throws IOException {
        Map<String, RevokeSessions> all = read();
        RevokeSessions owed = all.get(agent);
        if (owed != null && owed.getIssuedBeforeMillis() <= revocation.getIssuedBeforeMillis()) {
            all.remove(agent);
            write(all);
        }
    }

    private Map<String, RevokeSessions> read() throws IOException {
        Map<String, RevokeSessions> out = new TreeMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException(file + ": larger than " + MAX_FILE_BYTES + " bytes; not a pending-revocation file");
        }
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.strip().split(" ");
            try {
                if (parts.length != 2) {
                    throw new IllegalArgumentException("expected NAME HEX");
                }
                out.put(parts[0], RevokeSessions.parseFrom(HexFormat.of().parseHex(parts[1])));
            } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
                throw new IOException(file + ":" + lineNo + ": not a pending revocation (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    private void write(Map<String, RevokeSessions> all) throws IOException {
        StringBuilder text = new StringBuilder();
        all.forEach((agent, r) -> text.append(agent)
                .append(' ')
                .append(HexFormat.of().formatHex(r.toByteArray()))
                .append('\n'));
        if (all.isEmpty()) {
            Files.deleteIfExists(file);
        } else {
            PrivateFiles.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
