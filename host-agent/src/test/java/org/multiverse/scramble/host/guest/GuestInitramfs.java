package org.multiverse.scramble.host.guest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Builds (once, then from the cache) the guest's initramfs: busybox-static as every tool, the
 * test's {@code /init}, and the kernel modules the share and the port need, uncompressed,
 * with their load order in {@code /etc/guest-modules}. A caller may ask for more modules and
 * add entries of its own ({@link ExtraEntries}).
 */
public final class GuestInitramfs {

    /**
     * What the guest needs from the kernel: the 9p file system over virtio, the virtio PCI bus
     * and virtio-serial ports (built into Debian's kernel; loaded if some kernel has them as
     * modules).
     */
    public static final List<String> MODULES = List.of("virtio_pci", "virtio_console", "9pnet_virtio", "9p");

    /**
     * Entries a caller adds to the archive after the standard ones, whose names they must not
     * repeat ({@link CpioNewcWriter} refuses a name twice): the directories {@code bin},
     * {@code dev}, {@code etc}, {@code lib}, {@code lib/modules}, {@code mnt}, {@code proc},
     * {@code run}, {@code sys}, {@code tmp}, and {@code init}, {@code bin/busybox},
     * {@code dev/console}, {@code etc/guest-modules}, {@code lib/modules/NAME.ko}.
     */
    public interface ExtraEntries {

        /** No extra entries. */
        ExtraEntries NONE = new ExtraEntries() {
            @Override
            public byte[] cacheKey() {
                return new byte[0];
            }

            @Override
            public void writeTo(CpioNewcWriter cpio) {}
        };

        /**
         * What identifies the entries: the archive is cached under a digest that includes these
         * bytes, so equal keys must mean equal entries.
         */
        byte[] cacheKey();

        /** Writes the entries, each directory before what it holds. */
        void writeTo(CpioNewcWriter cpio) throws IOException;
    }

    private GuestInitramfs() {}

    /**
     * The initramfs for {@code kernel} and {@code initScript} with {@link #MODULES}, from
     * {@code cacheDir} if an identical one was built before.
     */
    public static Path build(Path cacheDir, GuestKernel kernel, Path busybox, byte[] initScript) throws IOException {
        return build(cacheDir, kernel, busybox, initScript, MODULES, ExtraEntries.NONE);
    }

    /**
     * The initramfs for {@code kernel} and {@code initScript} with {@code wantedModules} (and
     * what they depend on; built-in ones need nothing) and {@code extra}, from {@code cacheDir}
     * if an identical one was built before.
     *
     * @throws IllegalArgumentException naming a wanted module the kernel does not have
     */
    public static Path build(
            Path cacheDir,
            GuestKernel kernel,
            Path busybox,
            byte[] initScript,
            List<String> wantedModules,
            ExtraEntries extra)
            throws IOException {
        KernelModules modules = KernelModules.read(kernel.modulesDir());
        List<String> order = modules.loadOrder(wantedModules);
        byte[] busyboxBytes = Files.readAllBytes(busybox);

        MessageDigest key = sha256();
        key.update(kernel.release().getBytes(StandardCharsets.UTF_8));
        key.update(sha256().digest(busyboxBytes));
        key.update(sha256().digest(initScript));
        for (String module : order) {
            key.update(module.getBytes(StandardCharsets.UTF_8));
            key.update(Long.toString(Files.size(kernel.modulesDir().resolve(modules.path(module))))
                    .getBytes(StandardCharsets.UTF_8));
        }
        key.update(extra.cacheKey());
        String name = "initramfs-" + HexFormat.of().formatHex(key.digest(), 0, 12) + ".cpio.gz";
        Path cached = cacheDir.resolve(name);
        if (Files.isRegularFile(cached)) {
            return cached;
        }

        Files.createDirectories(cacheDir);
        Path temporary = Files.createTempFile(cacheDir, name, ".tmp");
        try (OutputStream file = Files.newOutputStream(temporary);
                CpioNewcWriter cpio = new CpioNewcWriter(new GZIPOutputStream(file))) {
            for (String dir : List.of("bin", "dev", "etc", "lib", "lib/modules", "mnt", "proc", "run", "sys", "tmp")) {
                cpio.directory(dir, 0755);
            }
            // The kernel opens /dev/console for init's stdio before init can mount devtmpfs.
            cpio.characterDevice("dev/console", 0600, 5, 1);
            cpio.file("bin/busybox", 0755, busyboxBytes);
            cpio.file("init", 0755, initScript);
            for (String module : order) {
                cpio.file(
                        "lib/modules/" + module + ".ko",
                        0644,
                        modules.uncompressed(kernel.modulesDir(), module, busybox));
            }
            cpio.file("etc/guest-modules", 0644, (String.join("\n", order) + "\n").getBytes(StandardCharsets.UTF_8));
            extra.writeTo(cpio);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        Files.move(temporary, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return cached;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
