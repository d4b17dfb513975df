package io.chroma.server.internal;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.hook.DefaultShutdownHook;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The server's default logging, set up in code: our INFO lines, only warnings from the frameworks
 * (the log level option of {@code chroma run} changes the levels at start-up, {@link io.chroma.server.LogLevel}).
 * The same setup as a {@code logback.xml}, without Logback's XML configurator, whose parsing was about
 * 0.15 s of every start of the server. An application that brings its own configuration ({@code logback.xml},
 * {@code logback-test.xml} or {@code -Dlogback.configurationFile}) gets it instead.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class ServerLogging extends ContextAwareBase implements Configurator {

    /** A line written while a request runs carries its trace id (from the chroma-trace-id header, or generated). */
    static final String LINE = "%d{HH:mm:ss.SSS} %-5level %logger{20} -%replace( [trace_id=%X{trace_id}]){' \\[trace_id=\\]', ''} %msg%n";
    /** The request line names its trace id itself: no MDC prefix. */
    static final String REQUEST_LINE = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = ServerLogging.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        // The one-line-per-request log goes through a queue: the thread finishing a request (often the Netty
        // event loop) only enqueues the event; a logback thread formats and writes it. Never drops lines
        // (discarding threshold 0) and blocks only if 8192 lines are waiting.
        AsyncAppender requests = new AsyncAppender();
        requests.setContext(context);
        requests.setName("REQUESTS");
        requests.setQueueSize(8192);
        requests.setDiscardingThreshold(0);
        requests.addAppender(stderr(context, "REQUEST_LINES", REQUEST_LINE));
        requests.start();
        Logger requestLog = context.getLogger("io.chroma.server.request");
        requestLog.setAdditive(false);
        requestLog.addAppender(requests);
        context.getLogger("io.chroma").setLevel(Level.INFO);
        context.getLogger("io.micronaut").setLevel(Level.WARN);
        context.getLogger("io.netty").setLevel(Level.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr(context, "STDERR", LINE));
        // flush the queue on JVM exit, so the last requests' lines are not lost
        DefaultShutdownHook flush = new DefaultShutdownHook();
        flush.setContext(context);
        Runtime.getRuntime().addShutdownHook(new Thread(flush, "logback-shutdown"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static ConsoleAppender<ILoggingEvent> stderr(LoggerContext context, String name, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}
