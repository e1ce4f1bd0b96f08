package org.multiverse.scramble.host.hypervisor;

/**
 * Something a virtual machine did on its own or in answer to a request.
 *
 * @param kind       what happened
 * @param detail     backend words for a person (never secret), may be empty
 * @param exitStatus for {@link Kind#EXIT}: the process exit status, or {@code null} when
 *                   it cannot be known (a process adopted after an agent restart is not our child)
 */
public record VmEvent(Kind kind, String detail, Integer exitStatus) {

    /** The events a backend reports; they mirror QMP's event names plus process exit. */
    public enum Kind {
        /** The guest shut down (ACPI power-off, guest request, or host request). */
        SHUTDOWN,
        /** The guest's CPUs were stopped. */
        STOP,
        /** The guest's CPUs run again. */
        RESUME,
        /** The guest was reset (rebooted). */
        RESET,
        /** The process exited. Always the last event of a handle. */
        EXIT
    }

    public VmEvent {
        detail = detail == null ? "" : detail;
    }
}
