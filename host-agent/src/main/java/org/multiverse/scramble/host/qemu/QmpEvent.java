package org.multiverse.scramble.host.qemu;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An asynchronous QMP event.
 *
 * @param name           QEMU's event name ({@code SHUTDOWN}, {@code STOP}, {@code RESUME}, {@code RESET}, ...)
 * @param data           the event's data object (empty object when absent)
 * @param timestampMicros QEMU's timestamp in microseconds since the epoch
 */
public record QmpEvent(String name, JsonNode data, long timestampMicros) {}
