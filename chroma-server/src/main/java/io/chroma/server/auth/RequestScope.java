package io.chroma.server.auth;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * What a request touches, derived from method, path and query only (never the body, which is not read before the
 * auth decision). Anything not recognised under {@code /api/v1} or {@code /api/v2} needs an unrestricted user, so
 * new routes fail closed for restricted users until they are listed here.
 */
sealed interface RequestScope {

    /** No credentials needed. */
    record Public() implements RequestScope {
    }

    /** Any authenticated user (e.g. {@code /api/v2/auth/identity}, non-API paths). */
    record AnyUser() implements RequestScope {
    }

    /** Needs tenant {@code *} and databases {@code *}: reset, create tenant, unknown API routes, odd paths. */
    record Unrestricted() implements RequestScope {
    }

    /** A tenant, and a database of it when {@code database} is non-null. */
    record Target(String tenant, String database) implements RequestScope {
    }

    /** A collection known by id only (v1 record routes). */
    record CollectionById(UUID id) implements RequestScope {
    }

    RequestScope PUBLIC = new Public();
    RequestScope ANY_USER = new AnyUser();
    RequestScope UNRESTRICTED = new Unrestricted();

    /** Served without credentials by Chroma 0.5+ (heartbeat, version, pre-flight-checks, root) and 1.x (healthcheck). */
    Set<String> PUBLIC_PATHS = Set.of(
            "/api/v1", "/api/v1/heartbeat", "/api/v1/version", "/api/v1/pre-flight-checks", "/api/v1/healthcheck",
            "/api/v2", "/api/v2/heartbeat", "/api/v2/version", "/api/v2/pre-flight-checks", "/api/v2/healthcheck");

    /**
     * @param method     HTTP method
     * @param rawPath    the request path as sent (percent-encoded, without query; a query part is ignored)
     * @param queryParam decoded query parameter lookup (v1 passes tenant and database as {@code ?tenant=&database=})
     */
    static RequestScope of(String method, String rawPath, Function<String, String> queryParam) {
        String path = normalise(rawPath);
        String m = method == null ? "" : method.toUpperCase(java.util.Locale.ROOT);
        if (m.equals("OPTIONS")) {
            return PUBLIC; // CORS pre-flight: browsers never send credentials with it; it reads and changes nothing
        }
        if ((m.equals("GET") || m.equals("HEAD")) && PUBLIC_PATHS.contains(path)) {
            return PUBLIC;
        }
        if (path.equals("/metrics")) {
            return UNRESTRICTED; // Prometheus metrics name every tenant's collections
        }
        if (!path.equals("/api") && !path.startsWith("/api/")) {
            return ANY_USER; // no data outside /api (docs, openapi, unknown paths that will 404)
        }
        String[] raw = path.substring(1).split("/", -1);
        String[] s = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            s[i] = decode(raw[i]);
            // empty, dot or undecodable segments could make the router see a different path than we do: fail closed
            if (s[i] == null || s[i].isEmpty() || s[i].equals(".") || s[i].equals("..")) {
                return UNRESTRICTED;
            }
        }
        if (s.length < 3) {
            return UNRESTRICTED;
        }
        return switch (s[1]) {
            case "v2" -> v2(s);
            case "v1" -> v1(m, s, queryParam);
            default -> UNRESTRICTED;
        };
    }

    private static RequestScope v2(String[] s) {
        // s = [api, v2, ...]
        if (s.length == 4 && s[2].equals("auth") && s[3].equals("identity")) {
            return ANY_USER;
        }
        if (s[2].equals("tenants") && s.length >= 4) {
            String tenant = s[3];
            if (s.length >= 6 && s[4].equals("databases")) {
                return new Target(tenant, s[5]); // the database and everything under it
            }
            return new Target(tenant, null); // the tenant, its database list, database creation
        }
        return UNRESTRICTED; // POST /api/v2/tenants, /api/v2/reset, /api/v2/collections/{crn}, unknown
    }

    private static RequestScope v1(String m, String[] s, Function<String, String> queryParam) {
        // s = [api, v1, ...]
        String tenant = param(queryParam, "tenant", Identity.DEFAULT_TENANT);
        switch (s[2]) {
            case "tenants" -> {
                return s.length == 4 ? new Target(s[3], null) : UNRESTRICTED; // POST /tenants creates a tenant
            }
            case "databases" -> {
                if (s.length == 3) {
                    return new Target(tenant, null); // create database in ?tenant=
                }
                return s.length == 4 ? new Target(tenant, s[3]) : UNRESTRICTED;
            }
            case "count_collections" -> {
                return s.length == 3 ? new Target(tenant, param(queryParam, "database", Identity.DEFAULT_DATABASE))
                        : UNRESTRICTED;
            }
            case "collections" -> {
                String database = param(queryParam, "database", Identity.DEFAULT_DATABASE);
                if (s.length == 3) {
                    return new Target(tenant, database); // list, create
                }
                if (s.length == 4 && (m.equals("GET") || m.equals("HEAD") || m.equals("DELETE"))) {
                    return new Target(tenant, database); // by name, in ?tenant=&database=
                }
                if (s.length <= 5) {
                    // PUT /collections/{id} and /collections/{id}/{add,update,upsert,get,delete,count,query}
                    try {
                        return new CollectionById(UUID.fromString(s[3]));
                    } catch (IllegalArgumentException e) {
                        return ANY_USER; // the handler answers 400 InvalidUUID without touching data
                    }
                }
                return UNRESTRICTED;
            }
            default -> {
                return UNRESTRICTED; // POST /reset and anything unknown
            }
        }
    }

    private static String param(Function<String, String> queryParam, String name, String dflt) {
        String v = queryParam == null ? null : queryParam.apply(name);
        return v == null || v.isEmpty() ? dflt : v;
    }

    /** Drops a query string and one trailing slash ({@code /api/v1/} is {@code /api/v1}). */
    static String normalise(String rawPath) {
        String p = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? "/" : p;
    }

    /** Strict percent-decoding of one path segment ({@code +} stays {@code +}); null if malformed. */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    return null;
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                // raw non-ASCII (not valid in a URI, but be lenient): keep the whole code point
                int cp = segment.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
