package org.multiverse.scramble.rtos.link;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Node enrolment at the bridge, like ssh's known_hosts: the first hello of a node name pins
 * its node id and public key in {@code STATE_DIR/known-nodes} (lines {@code NAME NODE_ID
 * HEXKEY}); a later hello with another id or key is refused until the line is removed.
 */
final class KnownNodes {

  static final String FILE = "known-nodes";

  private final Path file;
  private final Map<String, String[]> entries = new TreeMap<>();

  KnownNodes(Path stateDir) throws IOException {
    Files.createDirectories(stateDir);
    this.file = stateDir.resolve(FILE);
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.strip().split("\\s+");
        if (f.length == 3 && !line.startsWith("#")) {
          entries.put(f[0], new String[] {f[1], f[2]});
        }
      }
    }
  }

  /**
   * Checks (and on first sight, pins) a node's hello.
   *
   * @throws RtosException UNAVAILABLE if a pinned node now shows another id or key
   */
  synchronized void check(String name, String nodeId, byte[] publicKey) throws RtosException {
    String hex = HexFormat.of().formatHex(publicKey);
    String[] pinned = entries.get(name);
    if (pinned == null) {
      entries.put(name, new String[] {nodeId, hex});
      save();
      return;
    }
    boolean same = pinned[0].equals(nodeId)
        && MessageDigest.isEqual(pinned[1].getBytes(StandardCharsets.US_ASCII),
            hex.getBytes(StandardCharsets.US_ASCII));
    if (!same) {
      throw new RtosException(RtosException.Kind.UNAVAILABLE, "node " + name
          + " changed identity (pinned " + pinned[0] + ", now " + nodeId
          + " with another key): refused; remove its line from " + file + " to re-enrol");
    }
  }

  private void save() throws RtosException {
    StringBuilder b = new StringBuilder("# NAME NODE_ID X25519_PUBLIC_KEY (pinned at first hello)\n");
    entries.forEach((k, v) -> b.append(k).append(' ').append(v[0]).append(' ').append(v[1]).append('\n'));
    try {
      Path tmp = file.resolveSibling(FILE + ".tmp");
      Files.writeString(tmp, b, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new RtosException(RtosException.Kind.UNAVAILABLE, "cannot save " + file + ": " + e.getMessage());
    }
  }
}
