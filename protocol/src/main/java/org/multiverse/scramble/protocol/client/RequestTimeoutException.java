package org.multiverse.scramble.protocol.client;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** No reply came for a request within its timeout. The agent may or may not have executed it. */
public final class RequestTimeoutException extends TimeoutException {
    private final String requestIdPrefix;
    private final Duration timeout;

    RequestTimeoutException(String requestIdPrefix, Duration timeout) {
        super("request " + requestIdPrefix + "... got no reply within " + timeout.toMillis() + " ms");
        this.requestIdPrefix = requestIdPrefix;
        this.timeout = timeout;
    }

    /** The first bytes of the request id in hex, as shown in the audit log. */
    public String requestIdPrefix() {
        return requestIdPrefix;
    }

    public Duration timeout() {
        return timeout;
    }
}
