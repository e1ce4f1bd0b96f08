package org.multiverse.scramble.host.portal;

/** A portal's life state, as the backend reports it. */
public enum PortalState {
    /** Defined, no VM process. */
    STOPPED,
    /** The VM runs. */
    RUNNING,
    /** The VM's CPUs are frozen; memory kept. */
    PAUSED,
    /** The VM process ended without being asked to (see the portal's last exit). */
    CRASHED
}
