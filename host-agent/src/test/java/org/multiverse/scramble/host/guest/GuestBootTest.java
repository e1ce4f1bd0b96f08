package org.multiverse.scramble.host.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.host.share.FstabGenerator;
import org.multiverse.scramble.host.share.NinePShare;
import org.multiverse.scramble.host.share.ShareLink;
import org.multiverse.scramble.host.share.ShareService;
import org.multiverse.scramble.host.share.SystemMounter;

/**
 * Boots a real Linux guest (Debian's kernel, a busybox-static initramfs) under QEMU TCG with
 * the portal share exported by {@link NinePShare}, folders linked by {@link ShareService}
 * through real bind mounts, and checks from inside the guest that the generated fstab
 * mounts the share, a read-only link reads but refuses writes, a link made while the guest
 * runs appears at once, and a read-write link carries a file back to the host. The guest's
 * script is {@code src/test/guest/init.sh}; it reports over a virtio-serial port.
 */
class GuestBootTest {

  private static final String PORTAL = "application/guest-boot";
  private static final String PORT_NAME = "org.multiverse.test.0";

  /**
   * The whole conversation, boot included. TCG boots this guest in about 5 s on a 2-core VM;
   * the margin is for slow shared CI runners, and a broken guest ends sooner (panic=-1,
   * bounded waits in its init).
   */
  private static final Duration CONVERSATION_DEADLINE = Duration.ofSeconds(120);

  /** The guest powers off right after its last line. */
  private static final Duration POWER_OFF_DEADLINE = Duration.ofSeconds(30);

  private static final String APT_HINT = "apt-get install -y qemu-system-x86 busybox-static"
      + " linux-image-amd64";

  @TempDir Path base;

  @Test
  void aGuestMountsTheShareWithTheGeneratedFstabAndUsesItsLinks() throws Exception {
    Path qemu = firstExecutable("/usr/bin/qemu-system-x86_64", "/usr/local/bin/qemu-system-x86_64");
    Prerequisites.require(qemu != null, "qemu-system-x86_64 is missing: " + APT_HINT);
    Path busybox = firstExecutable("/bin/busybox", "/usr/bin/busybox");
    Prerequisites.require(busybox != null && StaticElf.isStatic(busybox),
        "a statically linked busybox is missing: " + APT_HINT);
    Optional<GuestKernel> kernel = GuestKernel.find();
    Prerequisites.require(kernel.isPresent(), "no kernel with modules found under "
        + Optional.ofNullable(System.getenv(GuestKernel.ROOT_VARIABLE)).orElse("/")
        + " (boot/vmlinuz-* and lib/modules/*): " + APT_HINT + ", or unpack a linux-image"
        + " package with dpkg-deb -x and set " + GuestKernel.ROOT_VARIABLE);
    Prerequisites.require(hasCapSysAdmin(), "links are bind mounts: run the tests as root");

    Instant started = Instant.now();
    Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path initramfs = GuestInitramfs.build(moduleDir.resolve("target/guest-cache"), kernel.get(),
        busybox, Files.readAllBytes(moduleDir.resolve("src/test/guest/init.sh")));

    base = base.toRealPath();
    // Commas and '=' in the share root's path: the -fsdev option must still carry it whole.
    Path portals = base.resolve("portals,id=evil,security_model=none");
    Files.createDirectories(portals.resolve(PORTAL));
    Path home = Files.createDirectories(base.resolve("home"));
    Path inbox = Files.createDirectories(home.resolve("inbox"));
    Path outbox = Files.createDirectories(home.resolve("outbox"));
    Path late = Files.createDirectories(home.resolve("late"));
    String hello = randomWord();
    String go = randomWord();
    Files.writeString(inbox.resolve("hello.txt"), hello);
    Files.writeString(late.resolve("go.txt"), go);

    ShareService service = new ShareService(portals, List.of(home), new SystemMounter());
    Path work = Files.createTempDirectory("mvguest"); // unix socket paths have 107 bytes at most
    try {
      service.link(PORTAL, inbox.toString(), null, true);
      service.link(PORTAL, outbox.toString(), null, false);
      String expectedFstabLine = new FstabGenerator().line(service.list(PORTAL));
      Path socket = work.resolve("port.sock");
      List<String> devices = new ArrayList<>(NinePShare.qemuArguments(service.shareRoot(PORTAL)));
      devices.addAll(List.of(
          "-device", "virtio-serial-pci,id=vser0",
          "-chardev", "socket,id=testport,path=" + socket + ",server=on,wait=off",
          "-device", "virtserialport,bus=vser0.0,chardev=testport,name=" + PORT_NAME));

      Instant deadline = Instant.now().plus(CONVERSATION_DEADLINE);
      try (QemuGuest guest = QemuGuest.start(qemu, kernel.get().image(), initramfs, work, devices)) {
        try (VirtioSerialPort port = VirtioSerialPort.connect(socket, deadline, guest::isAlive)) {
          port.writeLine("HELLO");
          assertEquals(expectedFstabLine, expect(port, "FSTAB ", deadline));
          String mounted = expect(port, "MOUNTED ", deadline);
          assertTrue(mounted.startsWith("multiverse-portal /mnt/multiverse 9p rw,"), mounted);
          // The kernel really uses the generated msize (it would silently cut a larger one).
          assertTrue(mounted.contains(",msize=" + FstabGenerator.MSIZE + ","), mounted);
          assertTrue(mounted.contains("access=client"), mounted);
          assertEquals(hello, expect(port, "READ ", deadline));
          assertEquals("refused", expect(port, "RO-WRITE ", deadline));
          assertEquals("late", expect(port, "WAITING ", deadline));

          service.link(PORTAL, late.toString(), null, true);
          port.writeLine("LINKED");
          assertEquals(go, expect(port, "LATE ", deadline));
          assertEquals("", expect(port, "DONE", deadline));
          assertTrue(guest.awaitExit(POWER_OFF_DEADLINE), "the guest did not power off");
          assertEquals(0, guest.exitCode());
        } catch (IOException | AssertionError | RuntimeException e) {
          throw new AssertionError(e.getMessage() + guest.diagnostics(), e);
        }
      }
      assertEquals("answer " + hello + " " + go + "\n", Files.readString(outbox.resolve("answer.txt")));
      assertFalse(Files.exists(inbox.resolve("evil.txt")), "the read-only link was written");
      System.out.println("guest boot test: " + kernel.get().release() + ", "
          + Duration.between(started, Instant.now()).toMillis() + " ms");
    } finally {
      for (ShareLink link : service.list(PORTAL)) {
        service.unlink(PORTAL, link.name());
      }
      deleteTree(work);
    }
  }

  /** The rest of the next guest line, which must start with {@code prefix}. */
  private static String expect(VirtioSerialPort port, String prefix, Instant deadline)
      throws IOException {
    String line = port.readLine(deadline);
    if (!line.startsWith(prefix)) {
      throw new AssertionError("expected a guest line starting with '" + prefix + "', got: "
          + line);
    }
    return line.substring(prefix.length());
  }

  private static String randomWord() {
    byte[] bytes = new byte[8];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static Path firstExecutable(String... candidates) {
    for (String candidate : candidates) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    return null;
  }

  private static boolean hasCapSysAdmin() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("CapEff:")) {
        return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 21)) != 0;
      }
    }
    return false;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
