package org.multiverse.scramble.host.guest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * The modules a kernel needs loaded for the guest's share and port, in load order
 * (dependencies first), from its {@code modules.dep} and {@code modules.builtin}. A module
 * that is built in needs nothing; one that is missing entirely is an error naming it.
 */
public final class KernelModules {

    /** Far above a real modules.dep (about 1 MiB), far below a memory problem. */
    static final int MAX_INDEX_BYTES = 16 * 1024 * 1024;

    /** Decompressing one module takes milliseconds; longer means the tool is stuck. */
    static final Duration DECOMPRESS_TIMEOUT = Duration.ofSeconds(30);

    private static final List<String> SUFFIXES = List.of(".ko.xz", ".ko.gz", ".ko.zst", ".ko");

    private final Map<String, String> paths = new HashMap<>();
    private final Map<String, List<String>> dependencies = new HashMap<>();
    private final Set<String> builtin = new HashSet<>();

    private KernelModules() {}

    public static KernelModules read(Path modulesDir) throws IOException {
        return parse(readIndex(modulesDir.resolve("modules.dep")), readIndex(modulesDir.resolve("modules.builtin")));
    }

    /** Parses the two index files' texts. */
    static KernelModules parse(String modulesDep, String modulesBuiltin) {
        KernelModules modules = new KernelModules();
        int lineNumber = 0;
        for (String line : modulesDep.split("\n")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("modules.dep line " + lineNumber + " has no 'path:'");
            }
            String path = line.substring(0, colon).strip();
            String name = nameOf(path, "modules.dep line " + lineNumber);
            List<String> deps = new ArrayList<>();
            for (String dep : line.substring(colon + 1).strip().split("\\s+")) {
                if (!dep.isEmpty()) {
                    deps.add(nameOf(dep, "modules.dep line " + lineNumber));
                }
            }
            if (modules.paths.put(name, path) != null) {
                throw new IllegalArgumentException("modules.dep line " + lineNumber + " repeats " + name);
            }
            modules.dependencies.put(name, deps);
        }
        lineNumber = 0;
        for (String line : modulesBuiltin.split("\n")) {
            lineNumber++;
            if (!line.isBlank()) {
                modules.builtin.add(nameOf(line.strip(), "modules.builtin line " + lineNumber));
            }
        }
        return modules;
    }

    public boolean isBuiltin(String module) {
        return builtin.contains(normalise(module));
    }

    /** Whether the kernel has {@code module} at all, built in or loadable. */
    public boolean provides(String module) {
        return isBuiltin(module) || paths.containsKey(normalise(module));
    }

    /**
     * The loadable modules needed for {@code wanted}, dependencies before dependents, each once.
     *
     * @throws IllegalArgumentException naming a module that is neither built in nor loadable, or
     *     a dependency cycle
     */
    public List<String> loadOrder(List<String> wanted) {
        LinkedHashMap<String, Boolean> order = new LinkedHashMap<>();
        for (String module : wanted) {
            visit(normalise(module), order, new HashSet<>());
        }
        return List.copyOf(order.keySet());
    }

    /** The module's file relative to the modules folder. */
    String path(String module) {
        return paths.get(normalise(module));
    }

    private void visit(String module, Map<String, Boolean> order, Set<String> onPath) {
        if (order.containsKey(module) || builtin.contains(module)) {
            return;
        }
        if (!paths.containsKey(module)) {
            throw new IllegalArgumentException(
                    "the kernel has no module " + module + " (neither built in nor in modules.dep)");
        }
        if (!onPath.add(module)) {
            throw new IllegalArgumentException("modules.dep has a dependency cycle through " + module);
        }
        for (String dep : dependencies.get(module)) {
            visit(dep, order, onPath);
        }
        onPath.remove(module);
        order.put(module, Boolean.TRUE);
    }

    /**
     * The module's uncompressed bytes ({@code .ko}, {@code .ko.gz}; {@code .ko.xz} through
     * busybox's {@code xz}, which the guest needs anyway).
     */
    byte[] uncompressed(Path modulesDir, String module, Path busybox) throws IOException {
        String relative = path(module);
        Path file = modulesDir.resolve(relative);
        if (relative.endsWith(".ko")) {
            return Files.readAllBytes(file);
        }
        if (relative.endsWith(".ko.gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                return in.readAllBytes();
            }
        }
        if (relative.endsWith(".ko.xz")) {
            return run(List.of(busybox.toString(), "xz", "-dc", "--", file.toString()));
        }
        return run(List.of("zstd", "-dc", "--", file.toString()));
    }

    private static byte[] run(List<String> argv) throws IOException {
        Process process = new ProcessBuilder(argv)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        process.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            in.transferTo(out);
            if (!process.waitFor(DECOMPRESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(argv + " did not finish");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(argv + " failed with exit " + process.exitValue());
        }
        return out.toByteArray();
    }

    private static String nameOf(String path, String where) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        for (String suffix : SUFFIXES) {
            if (file.endsWith(suffix) && file.length() > suffix.length()) {
                return normalise(file.substring(0, file.length() - suffix.length()));
            }
        }
        throw new IllegalArgumentException(where + ": " + path + " is not a kernel module file");
    }

    /** Module names treat '-' and '_' alike, as modprobe does. */
    private static String normalise(String name) {
        return name.replace('-', '_');
    }

    private static String readIndex(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_INDEX_BYTES) {
            throw new IOException(file + " is " + size + " bytes, over " + MAX_INDEX_BYTES);
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
