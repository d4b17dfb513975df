package io.chroma.server.auth;

import static io.chroma.server.auth.AuthTestSupport.NO_QUERY;
import static io.chroma.server.auth.AuthTestSupport.headers;
import static io.chroma.server.auth.AuthTestSupport.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoutesAndScopesTest {

    private static final Authenticator TOKEN = Authenticator.create(AuthSettings.none()
            .withProvider(AuthProvider.TOKEN).withCredentials("""
                    users:
                      - id: root
                        tokens: [root-token]
                      - id: acme
                        tenant: acme
                        databases: [prod]
                        tokens: [acme-token]
                    """));

    @ParameterizedTest
    @ValueSource(strings = {
        "/api/v1", "/api/v1/", "/api/v1/heartbeat", "/api/v1/heartbeat/", "/api/v1/version", "/api/v1/version/",
        "/api/v1/pre-flight-checks", "/api/v1/pre-flight-checks/",
        "/api/v2", "/api/v2/", "/api/v2/heartbeat", "/api/v2/heartbeat/", "/api/v2/version", "/api/v2/version/",
        "/api/v2/pre-flight-checks", "/api/v2/pre-flight-checks/", "/api/v2/healthcheck", "/api/v2/heartbeat?x=1"})
    void publicPathsNeedNoCredentials(String path) {
        AuthResult r = TOKEN.authenticate("GET", path, headers(), NO_QUERY);
        assertThat(r).isEqualTo(new AuthResult.Allowed(Identity.unauthenticated(), false));
        assertThat(TOKEN.authenticate("HEAD", path, headers(), NO_QUERY).allowed()).isTrue();
        // even a wrong token does not matter there
        assertThat(TOKEN.authenticate("GET", path, headers("Authorization", "Bearer nope"), NO_QUERY).allowed()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "POST, /api/v1/heartbeat", "POST, /api/v2/version", "DELETE, /api/v2", "GET, /api/v2/auth/identity",
        "GET, /api/v2/tenants/default_tenant", "GET, /api/v1/collections", "POST, /api/v2/reset",
        "GET, /api/v2//heartbeat", "GET, /api/v2/heartbeat//", "GET, /API/V2/heartbeat", "GET, /api/v3/heartbeat",
        "GET, /api/v2/heartbeat/../tenants/x", "GET, /", "GET, /docs", "GET, /openapi.json", "GET, ''"})
    void everythingElseNeedsCredentials(String method, String path) {
        AuthResult r = TOKEN.authenticate(method, path, headers(), NO_QUERY);
        assertThat(r).isInstanceOf(AuthResult.Denied.class);
        assertThat(((AuthResult.Denied) r).status()).isEqualTo(401);
    }

    @Test
    void corsPreflightIsPublic() {
        assertThat(TOKEN.authenticate("OPTIONS", "/api/v2/tenants/x/databases/y/collections", headers(), NO_QUERY).allowed()).isTrue();
    }

    @Test
    void noProviderLetsEverythingThroughWithTheDefaultIdentity() {
        Authenticator none = Authenticator.create(AuthSettings.fromEnvironment(Map.of()));
        assertThat(none.enabled()).isFalse();
        AuthResult r = none.authenticate("POST", "/api/v2/reset", headers(), NO_QUERY);
        assertThat(r).isEqualTo(new AuthResult.Allowed(Identity.unauthenticated(), false));
        assertThat(Identity.unauthenticated().toJson())
                .isEqualTo("{\"user_id\":\"\",\"tenant\":\"default_tenant\",\"databases\":[\"default_database\"]}");
        assertThat(none.authenticateWithoutBlocking("GET", "/api/v2/tenants/x", headers(), NO_QUERY)).contains(r);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // method | path | query | expected
        "GET    | /api/v2/auth/identity                              |                     | AnyUser[]",
        "POST   | /api/v2/tenants                                    |                     | Unrestricted[]",
        "GET    | /api/v2/tenants/t1                                 |                     | Target[tenant=t1, database=null]",
        "PATCH  | /api/v2/tenants/t1                                 |                     | Target[tenant=t1, database=null]",
        "GET    | /api/v2/tenants/t1/databases                       |                     | Target[tenant=t1, database=null]",
        "GET    | /api/v2/tenants/t1/databases/d1                    |                     | Target[tenant=t1, database=d1]",
        "POST   | /api/v2/tenants/t1/databases/d1/collections/c/add  |                     | Target[tenant=t1, database=d1]",
        "GET    | /api/v2/tenants/t%20x/databases/d%C3%A9/           |                     | Target[tenant=t x, database=dé]",
        "GET    | /api/v2/tenants/t1/databases/d%ZZ                  |                     | Unrestricted[]",
        "GET    | /api/v2/tenants/t1/databases/d%C3                  |                     | Unrestricted[]",
        "GET    | /api/v2/tenants/t1/./databases/d1                  |                     | Unrestricted[]",
        "GET    | /api/v2/tenants/%2E%2E/databases/d1                |                     | Unrestricted[]",
        "GET    | /api/v2/collections/crn:a:b                        |                     | Unrestricted[]",
        "POST   | /api/v2/reset                                      |                     | Unrestricted[]",
        "GET    | /api/v2/something-new                              |                     | Unrestricted[]",
        "POST   | /api/v1/reset                                      |                     | Unrestricted[]",
        "POST   | /api/v1/tenants                                    |                     | Unrestricted[]",
        "GET    | /api/v1/tenants/t1                                 |                     | Target[tenant=t1, database=null]",
        "POST   | /api/v1/databases                                  | tenant=t1           | Target[tenant=t1, database=null]",
        "GET    | /api/v1/databases/d1                               |                     | Target[tenant=default_tenant, database=d1]",
        "GET    | /api/v1/collections                                | tenant=t1,database= | Target[tenant=t1, database=default_database]",
        "GET    | /api/v1/count_collections                          | database=d1         | Target[tenant=default_tenant, database=d1]",
        "DELETE | /api/v1/collections/name1                          | tenant=t1           | Target[tenant=t1, database=default_database]",
        "PUT    | /api/v1/collections/0b7f4b6e-2d0c-4c61-9f0e-3a1f6d3f2d11 |               | CollectionById[id=0b7f4b6e-2d0c-4c61-9f0e-3a1f6d3f2d11]",
        "POST   | /api/v1/collections/0b7f4b6e-2d0c-4c61-9f0e-3a1f6d3f2d11/query |         | CollectionById[id=0b7f4b6e-2d0c-4c61-9f0e-3a1f6d3f2d11]",
        "GET    | /api/v1/collections/not-a-uuid/count               |                     | AnyUser[]",
        "POST   | /api/v1/collections/x/y/z                          |                     | Unrestricted[]",
        "GET    | /api/v1/unknown                                    |                     | Unrestricted[]",
        "GET    | /metrics                                           |                     | Unrestricted[]",
        "GET    | /metrics/                                          |                     | Unrestricted[]",
        "GET    | /other                                             |                     | AnyUser[]",
    })
    void routesMapToScopes(String method, String path, String q, String expected) {
        List<String> kv = new ArrayList<>();
        if (q != null) {
            for (String pair : q.split(",")) {
                String[] p = pair.split("=", -1);
                kv.add(p[0]);
                kv.add(p[1]);
            }
        }
        assertThat(RequestScope.of(method, path, query(kv.toArray(String[]::new))).toString()).isEqualTo(expected);
    }

    @Test
    void v1RecordRoutesAreScopedThroughTheResolverWhenGiven() {
        UUID acmeProd = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        UUID unknown = UUID.randomUUID();
        int[] lookups = {0};
        CollectionScopeResolver resolver = id -> {
            lookups[0]++;
            if (id.equals(acmeProd)) {
                return Optional.of(new Scope("acme", "prod"));
            }
            if (id.equals(other)) {
                return Optional.of(new Scope("default_tenant", "default_database"));
            }
            return Optional.empty();
        };
        Authenticator a = Authenticator.create(AuthSettings.none().withProvider(AuthProvider.TOKEN).withCredentials("""
                users:
                  - id: root
                    tokens: [root-token]
                  - id: acme
                    tenant: acme
                    databases: [prod]
                    tokens: [acme-token]
                """), resolver);
        var acme = headers("Authorization", "Bearer acme-token");
        assertThat(a.authenticate("POST", "/api/v1/collections/" + acmeProd + "/add", acme, NO_QUERY).allowed()).isTrue();
        assertThat(a.authenticate("PUT", "/api/v1/collections/" + acmeProd, acme, NO_QUERY).allowed()).isTrue();
        TokenAuthTest.assertForbidden(a.authenticate("POST", "/api/v1/collections/" + other + "/get", acme, NO_QUERY));
        TokenAuthTest.assertForbidden(a.authenticate("GET", "/api/v1/collections/" + other + "/count", acme, NO_QUERY));
        assertThat(a.authenticate("POST", "/api/v1/collections/" + unknown + "/query", acme, NO_QUERY).allowed())
                .as("unknown ids reach the handler, which answers 'does not exist'").isTrue();
        int before = lookups[0];
        assertThat(a.authenticate("POST", "/api/v1/collections/" + other + "/get",
                headers("Authorization", "Bearer root-token"), NO_QUERY).allowed()).isTrue();
        assertThat(lookups[0]).as("unrestricted users need no lookup").isEqualTo(before);
    }

    @Test
    void identityAccessRules() {
        Identity scoped = new Identity("u", "acme", List.of("prod", "dev"));
        assertThat(scoped.mayAccess("acme", null)).isTrue();
        assertThat(scoped.mayAccess("acme", "dev")).isTrue();
        assertThat(scoped.mayAccess("acme", "stage")).isFalse();
        assertThat(scoped.mayAccess("other", null)).isFalse();
        Identity anyDb = new Identity("u", "acme", List.of("*"));
        assertThat(anyDb.mayAccess("acme", "whatever")).isTrue();
        assertThat(anyDb.mayAccess("other", "whatever")).isFalse();
        Identity anyTenant = new Identity("u", "*", List.of("shared"));
        assertThat(anyTenant.mayAccess("x", "shared")).isTrue();
        assertThat(anyTenant.mayAccess("x", "other")).isFalse();
        assertThat(new Identity("a\"b\\c\n", "t", List.of()).toJson())
                .isEqualTo("{\"user_id\":\"a\\\"b\\\\c\\n\",\"tenant\":\"t\",\"databases\":[]}");
        assertThat(scoped.toJsonMap()).containsExactly(Map.entry("user_id", "u"), Map.entry("tenant", "acme"),
                Map.entry("databases", List.of("prod", "dev")));
    }
}
