package io.chroma.server.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who made a request and what it may reach: the body of {@code GET /api/v2/auth/identity}.
 *
 * @param userId    the user name (basic), the token user's id, {@code anonymous} for a single configured token, or
 *                  {@code ""} when auth is off
 * @param tenant    the one tenant the user may use, or {@code *} for all
 * @param databases the databases the user may use within that tenant; {@code ["*"]} for all
 */
public record Identity(String userId, String tenant, List<String> databases) {

    /** Request attribute under which the server filter stores the caller's identity for the identity route. */
    public static final String REQUEST_ATTRIBUTE = "io.chroma.server.auth.Identity";
    public static final String WILDCARD = "*";
    public static final String DEFAULT_TENANT = "default_tenant";
    public static final String DEFAULT_DATABASE = "default_database";

    private static final Identity UNAUTHENTICATED = new Identity("", DEFAULT_TENANT, List.of(DEFAULT_DATABASE));

    public Identity {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(tenant, "tenant");
        databases = List.copyOf(databases);
    }

    /**
     * What Chroma answers on {@code /api/v2/auth/identity} when auth is off (and what public routes carry): empty
     * user, default tenant and database. Clients use it to pick their tenant and database.
     */
    public static Identity unauthenticated() {
        return UNAUTHENTICATED;
    }

    /** A user allowed everywhere. */
    public static Identity unrestricted(String userId) {
        return new Identity(userId, WILDCARD, List.of(WILDCARD));
    }

    public boolean allTenants() {
        return WILDCARD.equals(tenant);
    }

    public boolean allDatabases() {
        return databases.contains(WILDCARD);
    }

    /** Whether this user may touch {@code database} of {@code tenant}; a null database means "the tenant itself". */
    public boolean mayAccess(String tenantName, String databaseName) {
        if (!allTenants() && !tenant.equals(tenantName)) {
            return false;
        }
        return databaseName == null || allDatabases() || databases.contains(databaseName);
    }

    /** JSON shape of {@code /api/v2/auth/identity}: {@code {"user_id":..,"tenant":..,"databases":[..]}}. */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user_id", userId);
        m.put("tenant", tenant);
        m.put("databases", databases);
        return m;
    }

    /** {@link #toJsonMap()} as JSON text, for servers that write bodies by hand. */
    public String toJson() {
        StringBuilder sb = new StringBuilder(64).append("{\"user_id\":");
        Json.appendString(sb, userId).append(",\"tenant\":");
        Json.appendString(sb, tenant).append(",\"databases\":[");
        for (int i = 0; i < databases.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Json.appendString(sb, databases.get(i));
        }
        return sb.append("]}").toString();
    }
}
