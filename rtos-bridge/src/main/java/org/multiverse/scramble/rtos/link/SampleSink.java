package org.multiverse.scramble.rtos.link;

/**
 * Receives a stream as it runs, on the link's reader thread: keep each call short (a 1 kHz
 * stream calls {@link #sample} every millisecond).
 */
public interface SampleSink {

    /** Called once, before any sample. */
    void start(StreamStart start);

    /** Called per intact sample, in sequence order. */
    void sample(SealedSample sample);
}
