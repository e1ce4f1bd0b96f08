package org.multiverse.scramble.host.portal;

import java.util.regex.Pattern;

/**
 * Portal names are in domain form: labels of {@code [a-z0-9-]} (not starting or ending
 * with '-') joined by single dots, e.g. {@code firefox.browser.app}. A name becomes a
 * directory under the state dir and part of unix socket paths, so nothing else is allowed.
 */
public final class PortalName {

    /**
     * Longest name. The name is one path component of {@code STATE/portals/NAME/qmp.sock}
     * and unix socket paths hold at most 107 bytes; 63 leaves room for a sensible state dir.
     */
    public static final int MAX_LENGTH = 63;

    private static final Pattern FORM =
            Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private PortalName() {}

    /** Returns the reason a name is unacceptable, or {@code null} when it is fine. */
    static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "a portal name is required";
        }
        if (name.length() > MAX_LENGTH) {
            return "portal name " + Printable.quote(name) + " is longer than " + MAX_LENGTH + " characters";
        }
        if (!FORM.matcher(name).matches()) {
            return "portal name " + Printable.quote(name)
                    + " is not in domain form (labels of a-z, 0-9 and '-', joined by single dots)";
        }
        return null;
    }

    /**
     * Checks a name.
     *
     * @throws PortalException INVALID_ARGUMENT with the reason
     */
    public static String validate(String name) throws PortalException {
        String problem = problem(name);
        if (problem != null) {
            throw new PortalException(PortalException.Kind.INVALID_ARGUMENT, problem);
        }
        return name;
    }
}
