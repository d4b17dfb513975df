package io.chroma.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How much the server logs: {@code chroma run --log-level} / {@code CHROMA_LOG_LEVEL}. The level applies to
 * Chroma's own loggers ({@code io.chroma.*}, including the per-request line at INFO); the root logger and the
 * frameworks (Micronaut, Netty) stay at WARN, or ERROR when that is asked for, because their DEBUG output would
 * bury ours.
 */
public enum LogLevel {
    DEBUG(Level.DEBUG), INFO(Level.INFO), WARN(Level.WARN), ERROR(Level.ERROR);

    /** The environment variable {@code chroma run} reads when {@code --log-level} is not given. */
    public static final String ENV = "CHROMA_LOG_LEVEL";

    private final Level logback;

    LogLevel(Level logback) {
        this.logback = logback;
    }

    /**
     * Parses {@code debug|info|warn|error} in any case ({@code warning} too, as Python's logging names it).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static LogLevel parse(String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        if (v.equals("WARNING")) {
            return WARN;
        }
        for (LogLevel l : values()) {
            if (l.name().equals(v)) {
                return l;
            }
        }
        throw new IllegalArgumentException("log level must be one of " + Arrays.stream(values())
                .map(l -> l.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                + " (got '" + value + "')");
    }

    /**
     * Sets the levels in the running logback. Returns false (and changes nothing) when SLF4J is bound to another
     * backend, e.g. an application embedding the server with its own logging.
     */
    public boolean apply() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return false;
        }
        Level framework = this == ERROR ? Level.ERROR : Level.WARN;
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(framework);
        context.getLogger("io.micronaut").setLevel(framework);
        context.getLogger("io.netty").setLevel(framework);
        context.getLogger("io.chroma").setLevel(logback);
        return true;
    }

    /** Lower-case, as the flag takes it. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
