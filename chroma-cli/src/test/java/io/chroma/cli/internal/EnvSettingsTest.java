package io.chroma.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSettingsTest {

    @Test
    void allowResetAcceptsChromasTruthyValues() {
        for (String v : List.of("true", "TRUE", "True", "1", "yes", "on")) {
            assertThat(EnvSettings.from(Map.of("ALLOW_RESET", v)).allowReset()).as(v).isTrue();
        }
        for (String v : List.of("false", "FALSE", "0", "no", "off", "")) {
            assertThat(EnvSettings.from(Map.of("ALLOW_RESET", v)).allowReset()).as(v).isFalse();
        }
        assertThat(EnvSettings.from(Map.of()).allowReset()).isFalse();
        assertThatThrownBy(() -> EnvSettings.from(Map.of("ALLOW_RESET", "maybe")))
                .hasMessageContaining("ALLOW_RESET");
    }

    @Test
    void corsOriginsAreAJsonList() {
        assertThat(EnvSettings.from(Map.of("CHROMA_SERVER_CORS_ALLOW_ORIGINS", "[\"http://localhost:3000\"]"))
                .corsAllowOrigins()).containsExactly("http://localhost:3000");
        assertThat(EnvSettings.from(Map.of("CHROMA_SERVER_CORS_ALLOW_ORIGINS", " [ \"a\" , \"b\\\"c\", \"\\u0041\" ] "))
                .corsAllowOrigins()).containsExactly("a", "b\"c", "A");
        assertThat(EnvSettings.from(Map.of("CHROMA_SERVER_CORS_ALLOW_ORIGINS", "[]")).corsAllowOrigins()).isEmpty();
        assertThat(EnvSettings.from(Map.of()).corsAllowOrigins()).isEmpty();
    }

    @Test
    void malformedCorsOriginsNameTheVariable() {
        for (String bad : List.of("http://x", "[\"a\"", "[\"a\",]", "[1]", "[\"a\"] x", "{\"a\":1}")) {
            assertThatThrownBy(() -> EnvSettings.from(Map.of("CHROMA_SERVER_CORS_ALLOW_ORIGINS", bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("CHROMA_SERVER_CORS_ALLOW_ORIGINS");
        }
    }
}
