package org.multiverse.scramble.rtos.link;

/** A bridge operation that failed, with the kind the agent maps to an error reply. */
public final class RtosException extends Exception {

  /** What went wrong, from the person's point of view. */
  public enum Kind {
    /** No such node or channel. */
    NOT_FOUND,
    /** The request is malformed or contradicts its signed command. */
    INVALID_ARGUMENT,
    /** The node refused: bad signature or certificate, replay, expired, read-only... */
    REFUSED_BY_NODE,
    /** A deadline-tagged command arrived after its time. */
    DEADLINE_MISSED,
    /** The node's line is down or its handshake failed. */
    UNAVAILABLE,
    /** The node did not answer in time. */
    TIMEOUT
  }

  private final Kind kind;
  private final String nodeCode;

  public RtosException(Kind kind, String message) {
    this(kind, message, "");
  }

  /** An exception for a node's Error, keeping its wire code (e.g. "BAD_SIGNATURE"). */
  public RtosException(Kind kind, String message, String nodeCode) {
    super(message);
    this.kind = kind;
    this.nodeCode = nodeCode;
  }

  /** The node's ErrorCode name if the node refused, else empty. */
  public String nodeCode() {
    return nodeCode;
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public String toString() {
    return kind + ": " + getMessage();
  }
}
