package org.multiverse.scramble.protocol.vectors;

import java.util.ArrayList;
import java.util.List;

/**
 * One envelope vector: the envelopes a fresh agent receives first ({@code history}, each judged
 * too), then the envelope the vector is about. Adding a case is one entry in
 * {@link EnvelopeCases}; its expected outcome is whatever the real pipeline does, written by the
 * generator.
 *
 * @param comment what the vector shows
 * @param flags its flags (declared in {@link EnvelopeVectors})
 * @param history envelopes sent before, in order
 * @param subject the envelope the vector is about
 */
record EnvelopeCase(String comment, List<String> flags, List<EnvelopeDraft> history, EnvelopeDraft subject) {

    static EnvelopeCase of(String comment, List<String> flags, EnvelopeDraft subject) {
        return new EnvelopeCase(comment, List.copyOf(flags), List.of(), subject);
    }

    /** The same case, the agent having first received {@code earlier}. */
    EnvelopeCase after(EnvelopeDraft... earlier) {
        List<EnvelopeDraft> all = new ArrayList<>(history);
        all.addAll(List.of(earlier));
        return new EnvelopeCase(comment, flags, List.copyOf(all), subject);
    }
}
