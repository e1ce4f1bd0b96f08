package org.multiverse.scramble.rtos.node;

import org.multiverse.scramble.rtos.wire.Bounds;

/**
 * One channel of the simulated node: a sensor (sine, noise, step) or an actuator.
 *
 * @param index 0..15, contiguous from 0 (WIRE.md: a channel's index is its position)
 * @param name the channel's name
 * @param kind what produces its values
 * @param unit unit text, at most 6 bytes
 * @param a sine: amplitude; noise: standard deviation; step: low value; actuator: initial
 * @param b sine: frequency in Hz; noise: mean; step: high value
 * @param c step: period in seconds (half low, half high)
 * @param safeValue actuators: the failsafe output
 */
record ChannelSpec(int index, String name, Kind kind, String unit, double a, double b, double c, float safeValue) {

    enum Kind {
        SINE,
        NOISE,
        STEP,
        ACTUATOR
    }

    ChannelSpec {
        if (index < 0 || index >= Bounds.MAX_CHANNELS) {
            throw new IllegalArgumentException("channel index " + index + " not in 0..15");
        }
        if (name.length() > Bounds.MAX_CHANNEL_NAME
                || !Bounds.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("channel name \"" + name + "\": 1..12 of [a-z0-9_-]");
        }
        if (unit.length() > Bounds.MAX_UNIT) {
            throw new IllegalArgumentException("unit \"" + unit + "\" longer than 6");
        }
    }

    boolean writable() {
        return kind == Kind.ACTUATOR;
    }
}
