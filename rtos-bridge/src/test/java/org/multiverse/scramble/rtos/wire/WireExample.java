package org.multiverse.scramble.rtos.wire;

/** The worked example of WIRE.md section 2.4, checked by a test so the spec cannot rot. */
final class WireExample {
    static final String FRAME_HEX = "0408015a058c7ee16100";

    private WireExample() {}
}
