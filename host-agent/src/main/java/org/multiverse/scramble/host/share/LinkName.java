package org.multiverse.scramble.host.share;

import java.nio.file.Path;

/**
 * The rules for a link's name ({@code --as NAME}): one path element made of letters, digits,
 * {@code .}, {@code _} and {@code -}, not starting with a dot (dot names are hidden, and
 * {@code .multiverse} holds the agent's own files in the share), at most
 * {@value #MAX_CHARS} characters. The name becomes a directory under the share root and a
 * path in the guest, so anything that could climb out ({@code /}, {@code ..}) or confuse a
 * shell or fstab (spaces, control characters) is refused.
 */
final class LinkName {

    /** Short enough for any file system and to keep guest paths readable. */
    static final int MAX_CHARS = 64;

    private LinkName() {}

    /**
     * Returns {@code name} if it is acceptable.
     *
     * @throws ShareException INVALID_ARGUMENT naming the rule it breaks
     */
    static String check(String name) throws ShareException {
        if (name == null || name.isEmpty()) {
            throw invalid("link name is empty; give one with --as NAME");
        }
        if (name.length() > MAX_CHARS) {
            throw invalid("link name is " + name.length() + " characters long; at most " + MAX_CHARS + " are allowed");
        }
        if (name.equals(".") || name.equals("..")) {
            throw invalid("link name may not be " + Display.quote(name) + ": it must name a folder inside the share");
        }
        if (name.indexOf('/') >= 0) {
            throw invalid("link name " + Display.quote(name) + " contains '/'; it must be a single folder name");
        }
        if (name.charAt(0) == '.') {
            throw invalid("link name " + Display.quote(name)
                    + " starts with '.'; hidden names (and .multiverse) are reserved");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!ok) {
                throw invalid("link name " + Display.quote(name) + " contains "
                        + Display.quote(String.valueOf(c))
                        + "; only letters, digits, '.', '_' and '-' are allowed");
            }
        }
        return name;
    }

    /**
     * The default name for a link: the host folder's own name, if it is acceptable.
     *
     * @throws ShareException INVALID_ARGUMENT saying why and asking for {@code --as}
     */
    static String fromFolder(Path folder) throws ShareException {
        Path last = folder.getFileName();
        if (last == null) {
            throw invalid("the host folder has no name to use; give one with --as NAME");
        }
        try {
            return check(last.toString());
        } catch (ShareException e) {
            throw invalid("the host folder's name cannot be used as the link name (" + e.getMessage()
                    + "); give one with --as NAME");
        }
    }

    private static ShareException invalid(String message) {
        return new ShareException(ShareException.Kind.INVALID_ARGUMENT, message);
    }
}
