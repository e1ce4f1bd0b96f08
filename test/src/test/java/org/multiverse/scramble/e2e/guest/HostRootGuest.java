package org.multiverse.scramble.e2e.guest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.multiverse.scramble.host.guest.GuestInitramfs;
import org.multiverse.scramble.host.guest.GuestKernel;
import org.multiverse.scramble.host.guest.KernelModules;
import org.multiverse.scramble.host.guest.Prerequisites;
import org.multiverse.scramble.host.guest.StaticElf;
import org.multiverse.scramble.protocol.testkit.Prerequisite;

/**
 * A guest that runs the host's own programs: the host's kernel (unpacked to a vmlinux when it
 * can be, see {@link UnpackedKernel}), a busybox initramfs whose {@code /init} is
 * {@code src/test/guest/hostroot-init.sh}, and the host's root file system read-only over the
 * 9p share (tag {@code multiverse-portal}), bind-mounted by the test at {@code SHARE/host}
 * ({@link #mountHostRoot(Path)}). The guest chroots into it, with tmpfs on /tmp and /run, and
 * serves commands on the port {@value #TEST_PORT} ({@link GuestCommandPort}).
 *
 * <p>Two ways to boot it: a test starts QEMU itself with the kernel and initramfs paths and the
 * devices {@link #qemuDevices} lists; or it copies both into a portal's images folder
 * ({@link #writeImages}) and lets the host agent boot them with {@link #KERNEL_CMDLINE}, at
 * least {@link #MEMORY_MIB} of memory, the share, and the channel {@value #TEST_PORT}.
 *
 * <p>Preparing needs QEMU, a static busybox, a kernel with its modules, and root (for the bind
 * mount); under {@code CI=true} a missing one fails the test, elsewhere it skips it, and either
 * way the message says what to install. The initramfs and vmlinux are cached in
 * {@code target/guest-cache}; within one JVM the preparation runs once.
 */
public final class HostRootGuest {

    /** The port the guest serves commands on. */
    public static final String TEST_PORT = "org.multiverse.test.0";

    /** The port the host agent's own channel uses; the guest only links it in /dev/virtio-ports. */
    public static final String HOST_PORT = "org.multiverse.host.0";

    /**
     * The serial console (the log), panic=-1 (with QEMU's -no-reboot a kernel panic ends QEMU at
     * once instead of hanging), and loglevel=4 (warnings and worse: the console stays readable).
     */
    public static final String KERNEL_CMDLINE = "console=ttyS0 panic=-1 loglevel=4";

    /**
     * Memory for a JVM or two in the guest: the page cache holds what the JVMs read over 9p (the
     * JDK's modules file alone is about 130 MiB), the JVMs run with -Xmx256m
     * (SCRAMBLE_JAVA_OPTS), and /tmp is a tmpfs. TCG allocates guest memory only as it is used.
     */
    public static final int MEMORY_MIB = 1536;

    /** Two vCPUs: a JVM's compiler and GC threads, and commands run in parallel. */
    public static final int CPUS = 2;

    /**
     * What the guest needs from the kernel (built in or loaded with their dependencies): the 9p
     * share over virtio PCI, the virtio-serial ports, and overlayfs for the layer of host links
     * ({@link HostSymlinks}).
     */
    static final List<String> MODULES = List.of("virtio_pci", "virtio_console", "9pnet_virtio", "9p", "overlay");

    /** Loaded if the kernel has it: a virtio-rng device then feeds the guest's random pool. */
    static final List<String> OPTIONAL_MODULES = List.of("virtio_rng");

    private static final String APT_HINT = "apt-get install -y qemu-system-x86 busybox-static linux-image-amd64";

    private static HostRootGuest prepared;

    private final Path qemu;
    private final GuestKernel kernel;
    private final UnpackedKernel.Image kernelImage;
    private final Path initramfs;
    private final Path repository;
    private final String report;

    private HostRootGuest(
            Path qemu,
            GuestKernel kernel,
            UnpackedKernel.Image kernelImage,
            Path initramfs,
            Path repository,
            String report) {
        this.qemu = qemu;
        this.kernel = kernel;
        this.kernelImage = kernelImage;
        this.initramfs = initramfs;
        this.repository = repository;
        this.report = report;
    }

    /**
     * Checks the prerequisites (skipping or failing the calling test), then builds or finds the
     * kernel image and the initramfs. Once per JVM.
     */
    public static synchronized HostRootGuest prepare() throws IOException {
        Path qemu = Prerequisites.firstExecutable(Prerequisites.QEMU_CANDIDATES);
        require(qemu != null, "qemu-system-x86_64 is missing: " + APT_HINT);
        Path busybox = Prerequisites.firstExecutable(Prerequisites.BUSYBOX_CANDIDATES);
        require(busybox != null && StaticElf.isStatic(busybox), "a statically linked busybox is missing: " + APT_HINT);
        Optional<GuestKernel> kernel = GuestKernel.find();
        require(
                kernel.isPresent(),
                "no kernel with modules found under "
                        + Optional.ofNullable(System.getenv(GuestKernel.ROOT_VARIABLE))
                                .orElse("/")
                        + " (boot/vmlinuz-* and lib/modules/*): " + APT_HINT);
        require(
                Prerequisites.hasCapSysAdmin(),
                "the host root reaches the guest through a bind mount: run the tests as root");
        if (prepared == null) {
            prepared = build(qemu, busybox, kernel.get());
        }
        return prepared;
    }

    /**
     * Requires the shell module to be packaged, as {@code bin/scramble-shell} needs it
     * ({@code ./mvnw -B verify} packages it before this module's tests run).
     */
    public static void requireShellPackaged() throws IOException {
        Path target = moduleDir().getParent().resolve("shell/target");
        boolean jar = false;
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "shell-*.jar")) {
                for (Path candidate : jars) {
                    String name = candidate.getFileName().toString();
                    jar |= !name.endsWith("-tests.jar") && !name.endsWith("-sources.jar");
                }
            }
        }
        require(
                jar && Files.isDirectory(target.resolve("lib")),
                "the shell module is not packaged (bin/scramble-shell needs shell/target): run"
                        + " ./mvnw -B -q package -DskipTests first");
    }

    private static HostRootGuest build(Path qemu, Path busybox, GuestKernel kernel) throws IOException {
        Path module = moduleDir();
        Path cache = module.resolve("target/guest-cache");
        Instant started = Instant.now();
        UnpackedKernel.Image image = UnpackedKernel.forBzImage(kernel.image(), cache);
        Instant unpacked = Instant.now();

        KernelModules available = KernelModules.read(kernel.modulesDir());
        List<String> modules = new ArrayList<>(MODULES);
        for (String optional : OPTIONAL_MODULES) {
            if (available.provides(optional)) {
                modules.add(optional);
            }
        }
        HostSymlinks links = HostSymlinks.scan(Path.of("/"), HostRootMount.rootFileSystemMountPoints());
        Instant scanned = Instant.now();
        Path initramfs = GuestInitramfs.build(
                cache,
                kernel,
                busybox,
                Files.readAllBytes(module.resolve("src/test/guest/hostroot-init.sh")),
                modules,
                links);
        Instant built = Instant.now();
        String report = "kernel " + kernel.release() + ": " + image.note() + " ("
                + millis(started, unpacked) + " ms); modules " + modules + "; " + links + " (scan "
                + millis(unpacked, scanned) + " ms); initramfs " + initramfs.getFileName() + " ("
                + millis(scanned, built) + " ms)";
        return new HostRootGuest(qemu, kernel, image, initramfs, module.getParent(), report);
    }

    /** The QEMU binary. */
    public Path qemu() {
        return qemu;
    }

    /** The kernel release, e.g. {@code 6.1.0-57-amd64}. */
    public String kernelRelease() {
        return kernel.release();
    }

    /** The kernel to boot: the unpacked vmlinux, or the bzImage when it could not be unpacked. */
    public Path kernelImage() {
        return kernelImage.path();
    }

    /** Whether {@link #kernelImage()} is the unpacked vmlinux. */
    public boolean kernelUnpacked() {
        return kernelImage.unpacked();
    }

    /** The initramfs (gzip-compressed cpio). */
    public Path initramfs() {
        return initramfs;
    }

    /** The repository's root (the test module's parent): its {@code bin/} holds the launchers. */
    public Path repository() {
        return repository;
    }

    /** The kernel command line: {@link #KERNEL_CMDLINE}. */
    public String kernelCommandLine() {
        return KERNEL_CMDLINE;
    }

    /** What was prepared and how long it took, for a test's output. */
    public String report() {
        return report;
    }

    /**
     * Copies the kernel image and the initramfs into {@code imagesDir} as {@code kernelName} and
     * {@code initrdName}, for the host agent to boot (a portal's {@code kernel} and
     * {@code initrd}).
     */
    public void writeImages(Path imagesDir, String kernelName, String initrdName) throws IOException {
        Files.createDirectories(imagesDir);
        Files.copy(kernelImage(), imagesDir.resolve(kernelName), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(initramfs, imagesDir.resolve(initrdName), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The device arguments for booting the guest with QEMU directly, beyond the share (add
     * NinePShare's arguments for that): a virtio-serial bus with the port {@value #TEST_PORT} on
     * {@code testSocket} and the port {@value #HOST_PORT} on {@code hostSocket} (both sockets
     * QEMU's, as the host agent makes them), and a virtio-rng fed from the host's urandom.
     */
    public static List<String> qemuDevices(Path testSocket, Path hostSocket) {
        for (Path socket : List.of(testSocket, hostSocket)) {
            if (socket.toString().contains(",")) {
                throw new IllegalArgumentException("a socket path must not contain commas: " + socket);
            }
        }
        return List.of(
                "-device", "virtio-serial-pci,id=vser0",
                "-chardev", "socket,id=testport,path=" + testSocket + ",server=on,wait=off",
                "-device", "virtserialport,bus=vser0.0,chardev=testport,name=" + TEST_PORT,
                "-chardev", "socket,id=hostport,path=" + hostSocket + ",server=on,wait=off",
                "-device", "virtserialport,bus=vser0.0,chardev=hostport,name=" + HOST_PORT,
                "-object", "rng-random,filename=/dev/urandom,id=rng0",
                "-device", "virtio-rng-pci,rng=rng0");
    }

    /**
     * Bind-mounts the host's {@code /} read-only at {@code shareRoot/host}; close the result to
     * unmount it (after QEMU has stopped, or it is unmounted lazily).
     */
    public static HostRootMount mountHostRoot(Path shareRoot) throws IOException {
        return HostRootMount.bind(shareRoot);
    }

    /** This module's folder: surefire's basedir, or the working directory. */
    static Path moduleDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .toAbsolutePath();
    }

    private static void require(boolean present, String what) {
        Prerequisite.require(present, "host-root guest: " + what);
    }

    private static long millis(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }
}
