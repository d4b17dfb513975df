package io.chroma.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthSettingsTest {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void emptyEnvironmentMeansNoAuth() {
        AuthSettings s = AuthSettings.fromEnvironment(Map.of()).validate();
        assertThat(s).isEqualTo(AuthSettings.none());
        assertThat(s.enabled()).isFalse();
        assertThat(s.tokenHeader()).isEqualTo(TokenHeader.AUTHORIZATION);
    }

    @Test
    void chroma04BasicNamesFromTheIssue() throws Exception {
        Path htpasswd = file("server.htpasswd", AuthTestSupport.htpasswdLine("admin", "admin", "$2y$") + "\n");
        AuthSettings s = AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTH_CREDENTIALS_FILE", htpasswd.toString(),
                "CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER", "chromadb.auth.providers.HtpasswdFileServerAuthCredentialsProvider",
                "CHROMA_SERVER_AUTH_PROVIDER", "chromadb.auth.basic.BasicAuthServerProvider")).validate();
        assertThat(s.provider()).isEqualTo(AuthProvider.BASIC);
        assertThat(s.credentialsFile()).isEqualTo(htpasswd);
        assertThat(s.credentials()).isNull();
    }

    @Test
    void chroma04TokenNamesFromTheIssue() {
        AuthSettings s = AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTH_CREDENTIALS", "test-token",
                "CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER", "chromadb.auth.token.TokenConfigServerAuthCredentialsProvider",
                "CHROMA_SERVER_AUTH_PROVIDER", "chromadb.auth.token.TokenAuthServerProvider",
                "CHROMA_SERVER_AUTH_TOKEN_TRANSPORT_HEADER", "X_CHROMA_TOKEN")).validate();
        assertThat(s.provider()).isEqualTo(AuthProvider.TOKEN);
        assertThat(s.credentials()).isEqualTo("test-token");
        assertThat(s.tokenHeader()).isEqualTo(TokenHeader.X_CHROMA_TOKEN);
    }

    @Test
    void chroma05Names() throws Exception {
        Path htpasswd = file("h", AuthTestSupport.htpasswdLine("admin", "admin", "$2y$"));
        AuthSettings basic = AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTHN_PROVIDER", "chromadb.auth.basic_authn.BasicAuthenticationServerProvider",
                "CHROMA_SERVER_AUTHN_CREDENTIALS_FILE", htpasswd.toString())).validate();
        assertThat(basic.provider()).isEqualTo(AuthProvider.BASIC);
        assertThat(basic.credentialsFile()).isEqualTo(htpasswd);

        AuthSettings token = AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTHN_PROVIDER", "chromadb.auth.token_authn.TokenAuthenticationServerProvider",
                "CHROMA_SERVER_AUTHN_CREDENTIALS", "t0k3n",
                "CHROMA_AUTH_TOKEN_TRANSPORT_HEADER", "X-Chroma-Token")).validate();
        assertThat(token.provider()).isEqualTo(AuthProvider.TOKEN);
        assertThat(token.tokenHeader()).isEqualTo(TokenHeader.X_CHROMA_TOKEN);
    }

    @Test
    void providerAndHeaderSpellings() {
        assertThat(AuthProvider.parse("basic", "X")).isEqualTo(AuthProvider.BASIC);
        assertThat(AuthProvider.parse("TOKEN", "X")).isEqualTo(AuthProvider.TOKEN);
        assertThat(AuthProvider.parse(" ", "X")).isEqualTo(AuthProvider.NONE);
        assertThat(AuthProvider.parse("none", "X")).isEqualTo(AuthProvider.NONE);
        for (String h : new String[] {"Authorization", "AUTHORIZATION", "authorization"}) {
            assertThat(TokenHeader.parse(h, "X")).isEqualTo(TokenHeader.AUTHORIZATION);
        }
        for (String h : new String[] {"X-Chroma-Token", "X_CHROMA_TOKEN", "x-chroma-token"}) {
            assertThat(TokenHeader.parse(h, "X")).isEqualTo(TokenHeader.X_CHROMA_TOKEN);
        }
    }

    @Test
    void unknownProviderNamesTheSetting() {
        assertThatThrownBy(() -> AuthSettings.fromEnvironment(Map.of("CHROMA_SERVER_AUTHN_PROVIDER", "chromadb.auth.Nope")))
                .isInstanceOf(AuthConfigurationException.class)
                .hasMessageContaining("CHROMA_SERVER_AUTHN_PROVIDER").hasMessageContaining("chromadb.auth.Nope");
        assertThatThrownBy(() -> AuthSettings.fromEnvironment(Map.of("CHROMA_SERVER_AUTH_PROVIDER", "oauth")))
                .isInstanceOf(AuthConfigurationException.class).hasMessageContaining("CHROMA_SERVER_AUTH_PROVIDER");
        assertThatThrownBy(() -> AuthSettings.none().overriddenBy("kerberos", null, null, null))
                .isInstanceOf(AuthConfigurationException.class).hasMessageContaining("--auth-provider");
    }

    @Test
    void unknownTokenHeaderNamesTheSetting() {
        assertThatThrownBy(() -> AuthSettings.fromEnvironment(Map.of("CHROMA_AUTH_TOKEN_TRANSPORT_HEADER", "Cookie")))
                .isInstanceOf(AuthConfigurationException.class).hasMessageContaining("CHROMA_AUTH_TOKEN_TRANSPORT_HEADER");
        assertThatThrownBy(() -> AuthSettings.fromEnvironment(Map.of("CHROMA_SERVER_AUTH_TOKEN_TRANSPORT_HEADER", "X")))
                .isInstanceOf(AuthConfigurationException.class).hasMessageContaining("CHROMA_SERVER_AUTH_TOKEN_TRANSPORT_HEADER");
    }

    @Test
    void generationsMayAgreeButNotConflict() {
        AuthSettings s = AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTHN_PROVIDER", "chromadb.auth.token_authn.TokenAuthenticationServerProvider",
                "CHROMA_SERVER_AUTH_PROVIDER", "token",
                "CHROMA_SERVER_AUTHN_CREDENTIALS", "abc", "CHROMA_SERVER_AUTH_CREDENTIALS", "abc"));
        assertThat(s.provider()).isEqualTo(AuthProvider.TOKEN);
        assertThatThrownBy(() -> AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTHN_PROVIDER", "basic", "CHROMA_SERVER_AUTH_PROVIDER", "token")))
                .isInstanceOf(AuthConfigurationException.class)
                .hasMessageContaining("CHROMA_SERVER_AUTHN_PROVIDER").hasMessageContaining("CHROMA_SERVER_AUTH_PROVIDER");
        assertThatThrownBy(() -> AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTHN_CREDENTIALS", "secret-one", "CHROMA_SERVER_AUTH_CREDENTIALS", "secret-two")))
                .isInstanceOf(AuthConfigurationException.class)
                .hasMessageContaining("CHROMA_SERVER_AUTHN_CREDENTIALS")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-one").doesNotContain("secret-two"));
    }

    @Test
    void legacyCredentialsProviderMustMatchTheProvider() {
        assertThatThrownBy(() -> AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTH_PROVIDER", "token",
                "CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER", "chromadb.auth.providers.HtpasswdFileServerAuthCredentialsProvider")))
                .isInstanceOf(AuthConfigurationException.class).hasMessageContaining("CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER");
        assertThatThrownBy(() -> AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER", "chromadb.auth.token.TokenConfigServerAuthCredentialsProvider",
                "CHROMA_SERVER_AUTH_CREDENTIALS", "abc")))
                .isInstanceOf(AuthConfigurationException.class)
                .hasMessageContaining("CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER").hasMessageContaining("CHROMA_SERVER_AUTHN_PROVIDER");
        assertThatThrownBy(() -> AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTH_PROVIDER", "token", "CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER", "ldap")))
                .isInstanceOf(AuthConfigurationException.class).hasMessageContaining("CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER");
    }

    @Test
    void missingFileNamesTheSetting() {
        Path missing = dir.resolve("nope.htpasswd");
        AuthSettings s = AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTHN_PROVIDER", "basic", "CHROMA_SERVER_AUTHN_CREDENTIALS_FILE", missing.toString()));
        assertThatThrownBy(s::validate).isInstanceOf(AuthConfigurationException.class)
                .hasMessageContaining("CHROMA_SERVER_AUTHN_CREDENTIALS_FILE").hasMessageContaining("does not exist")
                .hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> s.withCredentialsFile(dir).validate()).isInstanceOf(AuthConfigurationException.class)
                .hasMessageContaining("not a readable file");
    }

    @Test
    void bothCredentialsAndFileNameBothSettings() throws Exception {
        Path f = file("tokens", "abc");
        AuthSettings s = AuthSettings.fromEnvironment(Map.of("CHROMA_SERVER_AUTHN_PROVIDER", "token",
                "CHROMA_SERVER_AUTHN_CREDENTIALS", "abc", "CHROMA_SERVER_AUTHN_CREDENTIALS_FILE", f.toString()));
        assertThatThrownBy(s::validate).isInstanceOf(AuthConfigurationException.class)
                .hasMessageContaining("CHROMA_SERVER_AUTHN_CREDENTIALS ").hasMessageContaining("CHROMA_SERVER_AUTHN_CREDENTIALS_FILE")
                .hasMessageContaining("only one");
    }

    @Test
    void basicWithoutFileNamesTheFileSetting() {
        assertThatThrownBy(() -> AuthSettings.fromEnvironment(Map.of("CHROMA_SERVER_AUTH_PROVIDER", "basic")).validate())
                .isInstanceOf(AuthConfigurationException.class)
                .hasMessageContaining("CHROMA_SERVER_AUTHN_CREDENTIALS_FILE").hasMessageContaining("--auth-credentials-file");
    }

    @Test
    void tokenWithoutTokenNamesTheCredentialsSetting() {
        assertThatThrownBy(() -> AuthSettings.fromEnvironment(Map.of("CHROMA_SERVER_AUTHN_PROVIDER", "token")).validate())
                .isInstanceOf(AuthConfigurationException.class)
                .hasMessageContaining("CHROMA_SERVER_AUTHN_CREDENTIALS").hasMessageContaining("--auth-credentials");
    }

    @Test
    void credentialsWithoutProviderAreRefused() {
        assertThatThrownBy(() -> AuthSettings.fromEnvironment(Map.of("CHROMA_SERVER_AUTHN_CREDENTIALS", "abc")).validate())
                .isInstanceOf(AuthConfigurationException.class).hasMessageContaining("CHROMA_SERVER_AUTHN_PROVIDER");
    }

    @Test
    void cliFlagsOverrideTheEnvironment() throws Exception {
        Path f = file("h", AuthTestSupport.htpasswdLine("u", "p", "$2y$"));
        AuthSettings env = AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTHN_PROVIDER", "token", "CHROMA_SERVER_AUTHN_CREDENTIALS", "env-token"));
        AuthSettings s = env.overriddenBy("basic", null, f.toString(), null).validate();
        assertThat(s.provider()).isEqualTo(AuthProvider.BASIC);
        assertThat(s.credentialsFile()).isEqualTo(f);
        assertThat(s.credentials()).as("a file flag replaces env credentials").isNull();

        AuthSettings t = env.overriddenBy(null, "flag-token", null, "X-Chroma-Token").validate();
        assertThat(t.credentials()).isEqualTo("flag-token");
        assertThat(t.tokenHeader()).isEqualTo(TokenHeader.X_CHROMA_TOKEN);
        assertThat(env.overriddenBy(null, null, null, null)).isEqualTo(env);
        assertThatThrownBy(() -> env.overriddenBy(null, "a", f.toString(), null).validate())
                .isInstanceOf(AuthConfigurationException.class).hasMessageContaining("only one");
        assertThat(env.overriddenBy("none", null, null, null).withCredentials(null).validate().enabled()).isFalse();
    }

    @Test
    void toStringRedactsCredentials() {
        AuthSettings s = AuthSettings.none().withProvider(AuthProvider.TOKEN).withCredentials("super-secret-token");
        assertThat(s.toString()).doesNotContain("super-secret-token").contains("***").contains("TOKEN");
        assertThat(Authenticator.create(s).toString()).doesNotContain("super-secret-token");
    }
}
