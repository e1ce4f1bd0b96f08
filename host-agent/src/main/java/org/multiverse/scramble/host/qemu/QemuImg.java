package org.multiverse.scramble.host.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code qemu-img} with argument lists (never a shell) for overlays. */
final class QemuImg {

    /** Creating an empty overlay touches a few KiB; 30 s means the disk or the tool hangs. */
    private static final long CREATE_TIMEOUT_SECONDS = 30;
    /** qemu-img's messages for a person are a few lines; more is cut. */
    private static final int MAX_MESSAGE_CHARS = 2000;

    private QemuImg() {}

    /**
     * Creates {@code overlay} as a new qcow2 file backed by {@code base} (opened read-only
     * through the backing chain), replacing an old overlay by an atomic rename so the
     * result is always a new inode.
     */
    static void createOverlay(Path qemuImg, Path base, Path overlay) throws IOException {
        if (!base.isAbsolute() || !overlay.isAbsolute()) {
            throw new IOException("overlay and base paths must be absolute");
        }
        ImageFormat format = ImageFormat.detect(base);
        Path fresh = overlay.resolveSibling(overlay.getFileName() + ".new");
        Files.deleteIfExists(fresh);
        List<String> args = List.of(
                qemuImg.toString(),
                "create",
                "-q",
                "-f",
                "qcow2",
                "-F",
                format.qemuName(),
                "-b",
                base.toString(),
                fresh.toString());
        Process p = new ProcessBuilder(args)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("qemu-img create did not finish in " + CREATE_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                String msg = new String(out, StandardCharsets.UTF_8).strip();
                if (msg.length() > MAX_MESSAGE_CHARS) {
                    msg = msg.substring(0, MAX_MESSAGE_CHARS);
                }
                Files.deleteIfExists(fresh);
                throw new IOException("qemu-img create failed (" + p.exitValue() + "): " + msg);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating an overlay", e);
        }
        Files.move(fresh, overlay, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
