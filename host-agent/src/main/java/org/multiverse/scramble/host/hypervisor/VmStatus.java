package org.multiverse.scramble.host.hypervisor;

/** What the backend reports about a virtual machine right now. */
public enum VmStatus {
    /** The guest's CPUs run. */
    RUNNING,
    /** The guest is frozen (QMP {@code stop}); memory is kept. */
    PAUSED,
    /** The guest shut down but the process has not exited yet. */
    SHUTDOWN,
    /** The backend reports an error state (internal error, guest panic). */
    ERROR,
    /** The process is gone. */
    EXITED
}
