package org.multiverse.scramble.protocol.session;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What one link's {@link EventReceiver} did with the events it got: how many it delivered and
 * how many it dropped, by reason. A snapshot; it does not change afterwards.
 *
 * @param delivered events opened and handed on
 * @param dropped   dropped events per reason (every reason present, zero when none)
 * @param live      subscriptions currently accepted on the link
 */
public record EventCounts(long delivered, Map<EventDropReason, Long> dropped, int live) {

    /** Nothing received yet. */
    public static final EventCounts NONE = new EventCounts(0, Map.of(), 0);

    public EventCounts {
        EnumMap<EventDropReason, Long> all = new EnumMap<>(EventDropReason.class);
        for (EventDropReason r : EventDropReason.values()) {
            all.put(r, dropped.getOrDefault(r, 0L));
        }
        dropped = Collections.unmodifiableMap(all);
    }

    /** Dropped events of every reason together. */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code stranger 1, does not open 2} for the reasons that occurred; "" when none did. */
    public String droppedText() {
        StringJoiner j = new StringJoiner(", ");
        dropped.forEach((r, n) -> {
            if (n > 0) {
                j.add(r.text() + " " + n);
            }
        });
        return j.toString();
    }
}
