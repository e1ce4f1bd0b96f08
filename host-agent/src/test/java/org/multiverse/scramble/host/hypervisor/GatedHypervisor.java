package org.multiverse.scramble.host.hypervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link SimulatedHypervisor} whose launches of chosen portals do not return until the test
 * opens a gate: a slow QEMU start (the process runs, QMP has not answered yet) without any
 * sleep. The test learns that a launch is waiting at the gate from {@link #awaitWaiting}, so
 * what it checks meanwhile is known to overlap the launch.
 */
public final class GatedHypervisor implements Hypervisor {

    /** A test that never opens the gate fails after this instead of hanging the build. */
    public static final Duration GATE_LIMIT = Duration.ofSeconds(60);

    /** Runs on the launching thread while the launch waits at the gate, with the VM's handle. */
    @FunctionalInterface
    public interface WhileWaiting {
        void run(VmHandle vm) throws HypervisorException;
    }

    private final SimulatedHypervisor backend;
    private final Set<String> gated;
    private final CountDownLatch gate = new CountDownLatch(1);
    private final Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
    private volatile WhileWaiting whileWaiting = vm -> {};

    /** @param gated the names of the portals whose launches wait at the gate */
    public GatedHypervisor(SimulatedHypervisor backend, String... gated) {
        this.backend = backend;
        this.gated = Set.of(gated);
    }

    /** What a gated launch does once its VM runs and before it waits (e.g. make the VM send an event). */
    public void whileWaiting(WhileWaiting action) {
        this.whileWaiting = action;
    }

    /** Waits until the named portal's launch waits at the gate; false after {@link #GATE_LIMIT}. */
    public boolean awaitWaiting(String name) throws InterruptedException {
        return arrival(name).await(GATE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets every gated launch, waiting or to come, return. */
    public void open() {
        gate.countDown();
    }

    private CountDownLatch arrival(String name) {
        return waiting.computeIfAbsent(name, n -> new CountDownLatch(1));
    }

    @Override
    public String describe() {
        return "gated " + backend.describe();
    }

    @Override
    public VmHandle launch(VmSpec spec, Consumer<VmEvent> events) throws HypervisorException {
        VmHandle vm = backend.launch(spec, events);
        if (!gated.contains(spec.name())) {
            return vm;
        }
        whileWaiting.run(vm);
        arrival(spec.name()).countDown();
        try {
            if (!gate.await(GATE_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                vm.kill();
                throw new HypervisorException(
                        HypervisorException.Reason.UNAVAILABLE, "the test never opened the gate of " + spec.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            vm.kill();
            throw new HypervisorException(HypervisorException.Reason.UNAVAILABLE, "interrupted at the gate");
        }
        return vm;
    }

    @Override
    public Optional<VmHandle> adopt(VmSpec spec, Consumer<VmEvent> events) throws HypervisorException {
        return backend.adopt(spec, events);
    }

    @Override
    public void createOverlay(Path base, Path overlay) throws HypervisorException {
        backend.createOverlay(base, overlay);
    }
}
