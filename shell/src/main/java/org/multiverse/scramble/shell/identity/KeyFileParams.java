package org.multiverse.scramble.shell.identity;

import java.io.PrintStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.multiverse.scramble.suite.keyfile.Argon2Params;

/**
 * The Argon2id cost of new key files: always {@link Argon2Params#DEFAULT} (m=64 MiB, t=3),
 * unless the JVM system property {@value #TESTING_PROPERTY} (for tests only, documented in
 * {@code shell/README.md}) asks for {@code m=KIB,t=N}; a warning then says so on stderr.
 * Reading a key file always uses the parameters stored in it.
 */
public final class KeyFileParams {

    /** Tests set {@code -Dscramble.shell.testing.argon2=m=64,t=1} so that a key file takes milliseconds. */
    public static final String TESTING_PROPERTY = "scramble.shell.testing.argon2";

    private static final Pattern FORM = Pattern.compile("m=(\\d{1,7}),t=(\\d{1,2})");

    private KeyFileParams() {}

    /** The parameters for a key file about to be written. */
    public static Argon2Params forNewKeyFile(PrintStream err) {
        String value = System.getProperty(TESTING_PROPERTY);
        if (value == null || value.isEmpty()) {
            return Argon2Params.DEFAULT;
        }
        Matcher m = FORM.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(TESTING_PROPERTY + "='" + value + "': expected m=KIB,t=N");
        }
        Argon2Params p = new Argon2Params(
                Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Argon2Params.DEFAULT_PARALLELISM);
        err.println("WARNING: weak Argon2 parameters (" + value + ") from " + TESTING_PROPERTY + ": for tests only");
        return p;
    }
}
