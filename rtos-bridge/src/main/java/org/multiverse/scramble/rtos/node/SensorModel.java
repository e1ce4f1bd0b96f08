package org.multiverse.scramble.rtos.node;

import java.util.Random;

/** Values of the simulated sensors as functions of node time. */
final class SensorModel {

    private final Random random;

    SensorModel(Random random) {
        this.random = random;
    }

    float value(ChannelSpec c, long nodeMicros) {
        double seconds = nodeMicros / 1e6;
        return switch (c.kind()) {
            case SINE -> (float) (c.a() * Math.sin(2 * Math.PI * c.b() * seconds));
            case NOISE -> {
                synchronized (random) {
                    yield (float) (c.b() + c.a() * random.nextGaussian());
                }
            }
            case STEP -> {
                double period = c.c() > 0 ? c.c() : 1.0;
                yield (float) ((seconds % period) < period / 2 ? c.a() : c.b());
            }
            case ACTUATOR -> throw new IllegalArgumentException("actuators have outputs, not samples");
        };
    }
}
