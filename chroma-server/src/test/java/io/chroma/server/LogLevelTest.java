package io.chroma.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogLevelTest {

    static final List<String> NAMES = List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "io.chroma", "io.micronaut", "io.netty");
    final Map<String, Level> saved = new HashMap<>();

    static Logger logger(String name) {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(name);
    }

    @BeforeEach
    void save() {
        NAMES.forEach(n -> saved.put(n, logger(n).getLevel()));
    }

    @AfterEach
    void restore() {
        NAMES.forEach(n -> logger(n).setLevel(saved.get(n)));
    }

    @Test
    void parsesTheFourLevelsInAnyCase() {
        assertThat(LogLevel.parse("debug")).isEqualTo(LogLevel.DEBUG);
        assertThat(LogLevel.parse("INFO")).isEqualTo(LogLevel.INFO);
        assertThat(LogLevel.parse(" Warn ")).isEqualTo(LogLevel.WARN);
        assertThat(LogLevel.parse("warning")).isEqualTo(LogLevel.WARN);
        assertThat(LogLevel.parse("error")).isEqualTo(LogLevel.ERROR);
        assertThat(LogLevel.DEBUG).hasToString("debug");
        for (String bad : new String[] {"verbose", "", "trace", null}) {
            assertThatThrownBy(() -> LogLevel.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("debug, info, warn, error");
        }
    }

    @Test
    void appliesToOurLoggersAndKeepsFrameworksQuiet() {
        assertThat(LogLevel.DEBUG.apply()).isTrue();
        assertThat(logger("io.chroma").getLevel()).isEqualTo(Level.DEBUG);
        assertThat(logger("io.chroma.core").isDebugEnabled()).isTrue();
        assertThat(logger("io.netty").getLevel()).isEqualTo(Level.WARN);
        assertThat(logger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);

        assertThat(LogLevel.ERROR.apply()).isTrue();
        assertThat(logger("io.chroma").getLevel()).isEqualTo(Level.ERROR);
        assertThat(logger("io.chroma.core").isWarnEnabled()).isFalse();
        assertThat(logger("io.micronaut").getLevel()).isEqualTo(Level.ERROR);
        assertThat(logger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.ERROR);
    }

    @Test
    void systemLoggerLinesOfTheEngineGoThroughLogback() {
        // the engine and auth core use System.Logger; slf4j-jdk-platform-logging routes them here, so the level applies
        LogLevel.ERROR.apply();
        assertThat(System.getLogger("io.chroma.core").isLoggable(System.Logger.Level.WARNING)).isFalse();
        LogLevel.DEBUG.apply();
        assertThat(System.getLogger("io.chroma.core").isLoggable(System.Logger.Level.DEBUG)).isTrue();
    }
}
