package org.multiverse.scramble.protocol.transport;

/**
 * The agent side of a transport: accepts (or, for a QEMU chardev, keeps dialing) links and
 * hands each one to the accept callback given to {@link Transports#listen}.
 */
public interface Listener extends AutoCloseable {

    /** Where it listens, with the actual port when TCP port 0 was asked for. */
    TransportUri uri();

    /** Stops accepting (or dialing). Links already handed out stay open. Idempotent. */
    @Override
    void close();
}
