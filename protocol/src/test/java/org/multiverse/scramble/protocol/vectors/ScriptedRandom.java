package org.multiverse.scramble.protocol.vectors;

import java.security.SecureRandom;

/**
 * A "random" source that hands out a fixed script of bytes, in order, and fails loudly if asked
 * for more: the code under test (e.g. {@code SessionKeys.create}) then makes exactly the keys
 * the vector files document, and any change in how much randomness it draws is caught. For
 * vector generation only; never a source of secrets.
 */
final class ScriptedRandom extends SecureRandom {

    private static final long serialVersionUID = 1L;

    private final byte[] script;
    private int position;

    ScriptedRandom(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        script = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, script, at, part.length);
            at += part.length;
        }
    }

    @Override
    public void nextBytes(byte[] bytes) {
        if (script.length - position < bytes.length) {
            throw new IllegalStateException("scripted randomness exhausted: " + bytes.length + " bytes asked, "
                    + (script.length - position) + " left");
        }
        System.arraycopy(script, position, bytes, 0, bytes.length);
        position += bytes.length;
    }

    @Override
    public void setSeed(long seed) {
        // SecureRandom's constructor seeds itself; a script has nothing to seed.
    }

    /** Whether the whole script was drawn (a caller that draws less than documented is a change too). */
    boolean exhausted() {
        return position == script.length;
    }
}
