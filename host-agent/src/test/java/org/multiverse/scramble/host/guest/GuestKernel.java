package org.multiverse.scramble.host.guest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Debian kernel image and its modules: {@code ROOT/boot/vmlinuz-RELEASE} with
 * {@code ROOT/lib/modules/RELEASE} (or {@code usr/lib/modules}). ROOT is {@code /} for an
 * installed {@code linux-image-*} package, or the folder named by
 * {@value #ROOT_VARIABLE}, e.g. a package unpacked with {@code apt-get download} and
 * {@code dpkg-deb -x} (no initramfs is built that way, which is faster).
 */
public record GuestKernel(String release, Path image, Path modulesDir) {

    public static final String ROOT_VARIABLE = "MULTIVERSE_GUEST_KERNEL_ROOT";

    /** The newest usable kernel under the configured root, if any. */
    public static Optional<GuestKernel> find() throws IOException {
        String root = System.getenv(ROOT_VARIABLE);
        return find(Path.of(root == null || root.isEmpty() ? "/" : root));
    }

    public static Optional<GuestKernel> find(Path root) throws IOException {
        Path boot = root.resolve("boot");
        if (!Files.isDirectory(boot)) {
            return Optional.empty();
        }
        List<GuestKernel> found = new ArrayList<>();
        try (DirectoryStream<Path> images = Files.newDirectoryStream(boot, "vmlinuz-*")) {
            for (Path image : images) {
                String release = image.getFileName().toString().substring("vmlinuz-".length());
                for (String modules : List.of("lib/modules", "usr/lib/modules")) {
                    Path dir = root.resolve(modules).resolve(release);
                    if (Files.isReadable(image)
                            && Files.isRegularFile(dir.resolve("modules.dep"))
                            && Files.isRegularFile(dir.resolve("modules.builtin"))) {
                        found.add(new GuestKernel(release, image, dir));
                        break;
                    }
                }
            }
        }
        return found.stream().max((a, b) -> a.release().compareTo(b.release()));
    }
}
