package io.chroma.server;

import io.chroma.api.internal.Names;
import io.chroma.core.ClientSettings;
import io.chroma.core.EmbeddedClient;
import io.chroma.core.EphemeralClient;
import io.chroma.core.PersistentClient;
import io.chroma.core.internal.Engine;
import io.chroma.core.internal.EngineClient;
import io.chroma.server.auth.AuthConfigurationException;
import io.chroma.server.auth.AuthSettings;
import io.chroma.server.auth.Authenticator;
import io.chroma.server.auth.Scope;
import io.chroma.server.internal.AdminController;
import io.chroma.server.internal.ChromaService;
import io.chroma.server.internal.ServerMetrics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import io.micronaut.runtime.server.EmbeddedServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A running Chroma server: Micronaut on Netty serving {@code /api/v2} (Chroma 1.x) and
 * {@code /api/v1} (Chroma 0.5) on top of an embedded engine.
 *
 * <pre>{@code
 * try (ChromaServer server = ChromaServer.start(ServerConfig.defaults().withPort(0))) {
 *     System.out.println(server.url());
 * }
 * }</pre>
 */
public final class ChromaServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChromaServer.class);
    /** How long {@link #close()} lets in-flight requests finish before the store is closed anyway. */
    private static final long GRACE_SECONDS = 30;

    private final ServerConfig config;
    private final EmbeddedClient engine;
    private final ServerMetrics metrics;
    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);

    private ChromaServer(ServerConfig config, EmbeddedClient engine, ServerMetrics metrics, ApplicationContext context,
                         EmbeddedServer server) {
        this.config = config;
        this.engine = engine;
        this.metrics = metrics;
        this.context = context;
        this.server = server;
    }

    /**
     * Opens the store at {@code config.path()} (in memory when {@code null}) and starts listening;
     * returns once the port is bound. Fails with {@link io.chroma.api.StoreInUseException} when
     * another process holds the path, and with {@link AuthConfigurationException} (naming the setting)
     * when the auth settings are wrong; the store is not opened then.
     */
    public static ChromaServer start(ServerConfig config) {
        long t0 = System.nanoTime();
        // The store opens on a second thread while this one builds Micronaut's context (about 0.3 s and
        // 0.8 s of a start on two cores); the port is bound only once the store is open, so requests (and
        // the authenticator's collection lookups) only ever see it open.
        CompletableFuture<EmbeddedClient> opening = new CompletableFuture<>();
        // before the store is opened: a bad auth setting (AuthConfigurationException) must not leave a half-started
        // server or a freshly created data directory behind
        Authenticator authenticator = authenticator(config, () -> opening.getNow(null));
        // Chroma 1.x allows 512-character collection names on /api/v2; v1 routes enforce 63 themselves.
        // The server never embeds (clients send vectors), so collections get no default embedding function.
        ClientSettings settings = ClientSettings.defaults()
                .withAllowReset(config.allowReset())
                .withMaxCollectionNameLength(Names.CHROMA_1X_MAX_LENGTH)
                .withDefaultEmbeddingFunction(false);
        AtomicLong openMillis = new AtomicLong(-1);
        Thread.ofPlatform().name("chroma-store-open").daemon().start(() -> {
            try {
                EmbeddedClient engine = config.path() == null
                        ? new EphemeralClient(settings)
                        : new PersistentClient(config.path(), settings);
                openMillis.set((System.nanoTime() - t0) / 1_000_000);
                if (engine instanceof EngineClient ec) {
                    // on the second core while Micronaut starts, instead of in the first query of each collection
                    ec.engine().openIndexesInBackground(INDEXES_OPENED_AT_START);
                }
                opening.complete(engine);
            } catch (Throwable t) {
                opening.completeExceptionally(t);
            }
        });
        try {
            return start(config, opening, authenticator, t0, openMillis);
        } catch (RuntimeException | Error e) {
            // the HTTP side failed: close the store once it is open (a failed open has nothing to close)
            opening.thenAccept(EmbeddedClient::close);
            throw e;
        }
    }

    /**
     * How long ago this process started, from Linux's /proc (10 ms resolution): {@code ProcessHandle}'s start
     * instant rounds the boot time to whole seconds. Empty elsewhere.
     */
    static OptionalLong processAgeMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // the fields after the command name (which may hold spaces) start with the state, field 3
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long startTicks = Long.parseLong(fields[22 - 3]);
            String uptime = Files.readString(Path.of("/proc/uptime"));
            double upSeconds = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
            return OptionalLong.of(Math.round(upSeconds * 1000 - startTicks * 10.0)); // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Starts the HTTP server on an engine that is already open; the server owns it from now on. */
    static ChromaServer start(ServerConfig config, EmbeddedClient engine) {
        return start(config, CompletableFuture.completedFuture(engine), authenticator(config, () -> engine),
                System.nanoTime(), new AtomicLong(-1));
    }

    /** The open store, or the exception opening it threw (as thrown, not wrapped). */
    private static EmbeddedClient await(CompletableFuture<EmbeddedClient> opening) {
        try {
            return opening.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * Reads and checks the credentials (AuthConfigurationException naming the setting when wrong). The v1 record
     * routes name only a collection id; the resolver finds its tenant and database so scoped tokens apply there too.
     */
    private static Authenticator authenticator(ServerConfig config, Supplier<EmbeddedClient> engine) {
        return Authenticator.create(config.auth(), id -> Optional.ofNullable(engine.get())
                .flatMap(e -> e.findCollectionById(id))
                .map(c -> new Scope(c.tenant(), c.database())));
    }

    private static ChromaServer start(ServerConfig config, CompletableFuture<EmbeddedClient> opening,
                                      Authenticator authenticator, long t0, AtomicLong openMillis) {
        Supplier<EmbeddedClient> store = () -> await(opening);
        ChromaService service = new ChromaService(store, id -> store.get().findCollectionById(id));
        // one registry per server: the catalog is read at each scrape (records per collection, index lag)
        Supplier<List<Engine.CollectionStats>> stats = () -> store.get() instanceof EngineClient ec
                ? ec.engine().collectionStats() : List.of();
        ServerMetrics metrics = new ServerMetrics(stats, config.metricsPublic());
        // registered as beans: AuthFilter decides every request before its body is read; the telemetry filter
        // and the /metrics controller share the registry
        ApplicationContext context;
        EmbeddedServer server;
        EmbeddedClient engine;
        try {
            context = ApplicationContext.builder()
                    .deduceEnvironment(false)
                    .banner(false)
                    .properties(micronautProperties(config))
                    .singletons(service, authenticator, metrics, new AdminController.StoreAdmin(store))
                    .start();
        } catch (RuntimeException | Error e) {
            metrics.close();
            throw e;
        }
        try {
            engine = await(opening); // a store that cannot open (say in use by another process) fails the start here
            server = context.getBean(EmbeddedServer.class);
            server.start();
        } catch (RuntimeException | Error e) {
            context.close();
            metrics.close();
            throw e;
        }
        metrics.bindJvmMetricsLater(JVM_METRICS_DELAY_MILLIS);
        // the process's age includes the launcher and the JVM's own start: what a restart waits for in all
        List<String> timings = new ArrayList<>(2);
        if (openMillis.get() >= 0) {
            timings.add("store opened in " + openMillis.get() + " ms, beside it");
        }
        processAgeMillis().ifPresent(ms -> timings.add(ms + " ms after the process started"));
        String timingNote = timings.isEmpty() ? "" : " (" + String.join("; ", timings) + ")";
        ChromaServer s = new ChromaServer(config, engine, metrics, context, server);
        LOG.info("Chroma server listening on {} (API v2 and v1); data {}; auth {}; metrics at {}{}; "
                        + "Lucene SIMD (jdk.incubator.vector) {}; started in {} ms{}",
                s.url(),
                config.path() == null ? "in memory only" : "at " + config.path().toAbsolutePath(),
                describeAuth(config),
                ServerMetrics.PATH,
                authenticator.enabled() ? (config.metricsPublic() ? " (public)" : " (needs an unrestricted user)") : "",
                simdEnabled() ? "enabled" : "disabled: run with --add-modules jdk.incubator.vector",
                (System.nanoTime() - t0) / 1_000_000, timingNote);
        return s;
    }

    /**
     * Collection indexes (largest first) opened in the background once the store is open
     * (-Dchroma.index.openAtStart; 0 = each on its first use). Opening costs a little heap per index
     * and no vector memory (segments are memory-mapped and paged in by queries).
     */
    static final int INDEXES_OPENED_AT_START = Math.max(0, Integer.getInteger("chroma.index.openAtStart", 8));

    /** When the JVM and process meters are bound after the start, unless a scrape comes first. */
    static final long JVM_METRICS_DELAY_MILLIS = 10_000;

    /** Responses at least this large are compressed for clients that accept it; negative = never (as Chroma). */
    static final int COMPRESSION_THRESHOLD = Integer.getInteger("chroma.server.compressionThreshold", -1);

    private static Map<String, Object> micronautProperties(ServerConfig config) {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.application.name", "chroma");
        p.put("micronaut.server.host", config.host());
        p.put("micronaut.server.port", config.port() == 0 ? -1 : config.port()); // -1 = a free port
        p.put("micronaut.server.max-request-size", ChromaService.MAX_BODY_BYTES);
        // Micronaut buffers a body it hands over whole only up to 10 MiB by default and refuses larger
        // ones with 413: a batch of 1000 OpenAI-size (1536-d) embeddings is ~20 MiB of JSON, which real
        // Chroma takes. The one limit is MAX_BODY_BYTES.
        p.put("micronaut.server.max-request-buffer-size", ChromaService.MAX_BODY_BYTES);
        // Chroma sends every response uncompressed. Micronaut gzips any response over 1 KB that a client
        // accepts gzip for (OkHttp, httpx and fetch all do): for query answers on a local network that was
        // 15 % of the server's CPU (JFR, 4 query clients), and float arrays hardly compress.
        // -Dchroma.server.compressionThreshold=BYTES turns it back on above that size.
        p.put("micronaut.server.netty.compression-threshold", COMPRESSION_THRESHOLD);
        // the event loops only do I/O; a long quiet period would only delay close()
        for (String group : new String[] {"micronaut.server.netty.parent", "micronaut.server.netty.worker",
                "micronaut.netty.event-loops.default"}) {
            p.put(group + ".shutdown-quiet-period", "10ms");
            p.put(group + ".shutdown-timeout", "5s");
        }
        if (!config.corsAllowOrigins().isEmpty()) {
            p.put("micronaut.server.cors.enabled", true);
            if (config.corsAllowOrigins().contains("*")) {
                p.put("micronaut.server.cors.configurations.chroma.allowed-origins-regex", ".*");
            } else {
                p.put("micronaut.server.cors.configurations.chroma.allowed-origins", config.corsAllowOrigins());
            }
        }
        return p;
    }

    /** Which auth is on, for the start-up line: never the credentials, only where they come from. */
    public static String describeAuth(ServerConfig config) {
        var auth = config.auth();
        return switch (auth.provider()) {
            case NONE -> "off";
            case BASIC -> "basic (htpasswd " + credentialSource(auth) + ")";
            case TOKEN -> "token (" + auth.tokenHeader().headerName() + " header, tokens " + credentialSource(auth) + ")";
        };
    }

    private static String credentialSource(AuthSettings auth) {
        return auth.credentialsFile() != null ? "from file " + auth.credentialsFile() : "given inline";
    }

    private static boolean simdEnabled() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.getPort();
    }

    /** {@code http://host:port}, without a trailing slash. */
    public String url() {
        String host = config.host();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port();
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * Graceful stop: stops accepting connections, lets in-flight requests finish (up to 30 s),
     * stops Micronaut, then closes the store. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            awaitTermination();
            return;
        }
        int port = port();
        try {
            if (server instanceof GracefulShutdownCapable g) {
                g.shutdownGracefully().toCompletableFuture().get(GRACE_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("In-flight requests did not finish within {} s; closing anyway", GRACE_SECONDS, e);
        }
        try {
            try {
                context.close();
            } finally {
                metrics.close(); // after the server: no request records into a closed registry
            }
        } finally {
            try {
                engine.close();
            } finally {
                terminated.countDown();
                LOG.info("Chroma server on port {} stopped", port);
            }
        }
    }

    /** Blocks until {@link #close()} has finished (for a main thread that keeps the JVM alive). */
    public void awaitTermination() {
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
