package org.multiverse.scramble.protocol.ratelimit;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** A nanosecond clock that moves only when a test says so. */
final class FakeClock implements LongSupplier {
    // Not zero, so code that treats 0 as "unset" would be caught.
    private long nanos = 1_000_000_000_000L;

    @Override
    public long getAsLong() {
        return nanos;
    }

    void advanceMillis(long millis) {
        nanos += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    void advanceNanos(long delta) {
        nanos += delta;
    }
}
