package org.multiverse.scramble.host.hypervisor;

import java.time.Duration;

/** One running (or adopted) virtual machine. Thread-safe. */
public interface VmHandle {

    /** The VM process id (simulated backends invent one). */
    long pid();

    /** Asks the backend for the VM's state (QMP {@code query-status} plus the process). */
    VmStatus status() throws HypervisorException;

    /** Freezes the guest's CPUs. */
    void pause() throws HypervisorException;

    /** Lets a frozen guest run again. */
    void resume() throws HypervisorException;

    /** Presses the ACPI power button; the guest may ignore it. */
    void powerdown() throws HypervisorException;

    /** Ends the VM process at once (SIGKILL). Does not wait. */
    void kill();

    /** Waits until the process has exited; {@code true} if it did within the timeout. */
    boolean awaitExit(Duration timeout) throws InterruptedException;

    /** Whether the process still exists. */
    boolean isAlive();

    /**
     * Lets go of the VM without stopping it: closes the control connection, stops
     * reporting events. A later {@link Hypervisor#adopt} finds the VM again.
     */
    void detach();
}
