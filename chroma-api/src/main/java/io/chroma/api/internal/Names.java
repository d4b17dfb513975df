package io.chroma.api.internal;

import io.chroma.api.InvalidArgumentException;

import java.util.regex.Pattern;

/** Chroma's rules for collection, database and tenant names. */
public final class Names {
    private Names() {
    }

    /** The usage guide's limit; Chroma 1.x on /api/v2 allows up to 512. */
    public static final int USAGE_GUIDE_MAX_LENGTH = 63;
    public static final int CHROMA_1X_MAX_LENGTH = 512;

    private static final Pattern ALLOWED = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9]");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    public static void validateCollectionName(String name, int maxLength) {
        if (name == null || name.length() < 3 || name.length() > maxLength || !ALLOWED.matcher(name).matches()) {
            throw new InvalidArgumentException("Expected a name containing 3-" + maxLength
                    + " characters from [a-zA-Z0-9._-], starting and ending with a character in [a-zA-Z0-9]. Got: "
                    + name);
        }
        if (name.contains("..")) {
            throw new InvalidArgumentException(
                    "Expected a name that does not contains two consecutive periods (..). Got " + name);
        }
        if (isIpAddress(name)) {
            throw new InvalidArgumentException("Expected a name that is not a valid ip address. Got " + name);
        }
    }

    public static void validateTenantName(String name) {
        if (name == null || name.length() < 3) {
            throw new InvalidArgumentException("Tenant name must be at least 3 characters long");
        }
    }

    public static void validateDatabaseName(String name) {
        if (name == null || name.length() < 3) {
            throw new InvalidArgumentException("Database name must be at least 3 characters long");
        }
    }

    /**
     * The name of the database a request is under: Chroma 1.x refuses one of fewer than three
     * characters (none can exist) as invalid rather than not found, on every route but deleting a
     * database (a plain 404). Null is left to the lookup.
     */
    public static void validateDatabaseNameInPath(String name) {
        if (name != null && name.length() < 3) {
            throw new InvalidArgumentException("database name must be at least 3 characters");
        }
    }

    static boolean isIpAddress(String name) {
        var m = IPV4.matcher(name);
        if (m.matches()) {
            for (int g = 1; g <= 4; g++) {
                if (Integer.parseInt(m.group(g)) > 255) {
                    return false;
                }
            }
            return true;
        }
        // an IPv6 literal cannot pass the alphabet check (':' is not allowed), so only IPv4 remains
        return false;
    }
}
