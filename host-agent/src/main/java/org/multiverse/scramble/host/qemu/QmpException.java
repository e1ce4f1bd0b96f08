package org.multiverse.scramble.host.qemu;

/** A QMP command failed, timed out, or the connection broke; the message is for a person. */
public final class QmpException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String errorClass;

    /**
     * @param errorClass QEMU's error class ({@code GenericError}, ...), or a local one:
     *                   {@code Timeout}, {@code Disconnected}, {@code Protocol}
     */
    public QmpException(String errorClass, String message) {
        super(message);
        this.errorClass = errorClass;
    }

    public String errorClass() {
        return errorClass;
    }
}
