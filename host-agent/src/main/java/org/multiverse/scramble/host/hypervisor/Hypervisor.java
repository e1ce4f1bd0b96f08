package org.multiverse.scramble.host.hypervisor;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A backend that runs portal virtual machines: the real one drives QEMU, the simulated
 * one keeps the same state machine in memory. Nothing above this interface knows which
 * one runs.
 */
public interface Hypervisor {

    /** One line for a person: backend, version, accelerator, sandbox. */
    String describe();

    /**
     * Starts a virtual machine and returns once its control channel answers.
     *
     * @param events receives the VM's events, from backend threads, until {@link VmHandle#detach()}
     * @throws HypervisorException with {@link HypervisorException.Reason#PRECONDITION} when the
     *         host lacks what the spec asks for (a bridge), otherwise when the VM cannot start
     */
    VmHandle launch(VmSpec spec, Consumer<VmEvent> events) throws HypervisorException;

    /**
     * Finds a VM this backend launched earlier for the same spec (before an agent
     * restart) and takes control of it again.
     *
     * @return the VM, or empty when none of ours runs for this spec (stale records are ignored)
     */
    Optional<VmHandle> adopt(VmSpec spec, Consumer<VmEvent> events) throws HypervisorException;

    /**
     * Creates a fresh qcow2 overlay on top of a read-only base image, replacing any old
     * overlay atomically (the new overlay is a new file).
     */
    void createOverlay(Path base, Path overlay) throws HypervisorException;
}
