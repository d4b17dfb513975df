package io.chroma.server.internal;

import io.chroma.core.internal.Engine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The server's metrics: one Prometheus registry per server (tests run several servers in one JVM), holding
 * <ul>
 *   <li>{@code http_server_requests_seconds} (histogram, tags method, uri = the route template, status, outcome),
 *   recorded by {@link RequestTelemetryFilter};</li>
 *   <li>{@code chroma_collection_records} and {@code chroma_collection_index_lag_operations} per collection (tags
 *   tenant, database, collection) and {@code chroma_collections}, refreshed from the engine's in-memory catalog at
 *   each scrape, so nothing is computed between scrapes and nothing scans the store;</li>
 *   <li>JVM and process metrics (memory, GC, threads, class loading, CPU, uptime, file descriptors).</li>
 * </ul>
 */
public final class ServerMetrics implements AutoCloseable {

    /** Where Prometheus scrapes. */
    public static final String PATH = "/metrics";
    static final String REQUESTS = "http.server.requests";
    static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /**
     * Fixed histogram buckets instead of Micrometer's percentile histogram (about 70 buckets per series): a dozen
     * buckets from 1 ms to 10 s cover a vector store's range, and keep the scrape small with ~40 routes.
     */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)};

    private static final Logger LOG = LoggerFactory.getLogger(ServerMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Supplier<List<Engine.CollectionStats>> collections;
    private final boolean publicScrape;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    /** Set once the JVM and process meters are being bound (see {@link #bindJvmMetricsLater(long)}). */
    private final AtomicReference<CompletableFuture<Void>> jvmMetrics = new AtomicReference<>();
    /** Timer lookup without building a Meter.Id per request; bounded by routes x methods x statuses seen. */
    private final ConcurrentHashMap<RequestKey, Timer> timers = new ConcurrentHashMap<>();
    private final MultiGauge records;
    private final MultiGauge indexLag;
    private final AtomicInteger collectionCount = new AtomicInteger();

    private record RequestKey(String method, String uri, int status) {
    }

    /** A scrape's body and the content type it was written in. */
    public record Scrape(String contentType, String body) {
    }

    /**
     * @param collections  the engine's per-collection counters, read at each scrape
     * @param publicScrape serve {@link #PATH} without credentials when auth is on
     */
    public ServerMetrics(Supplier<List<Engine.CollectionStats>> collections, boolean publicScrape) {
        this.collections = collections;
        this.publicScrape = publicScrape;
        records = MultiGauge.builder("chroma.collection.records").baseUnit("records")
                .description("Records in the collection").register(registry);
        indexLag = MultiGauge.builder("chroma.collection.index.lag").baseUnit("operations")
                .description("Write operations not yet in a durable index commit (replayed from the write log on restart)")
                .register(registry);
        Gauge.builder("chroma.collections", collectionCount, AtomicInteger::get)
                .description("Live collections, all tenants and databases").register(registry);
    }

    /**
     * Binds the JVM and process meters on a background thread {@code delayMillis} from now, unless a scrape has
     * bound them first. The server calls this once it listens: binding them loads the JVM's management
     * and container classes, ~0.2 s of CPU that on two cores delayed the first requests of a restart, and no
     * request needs them. A scrape waits until they are bound (and binds them itself if they are not yet).
     * GC pauses before the binding are not counted.
     */
    public void bindJvmMetricsLater(long delayMillis) {
        Thread.ofPlatform().daemon().name("chroma-metrics-init").start(() -> {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                return;
            }
            jvmMetricsBound();
        });
    }

    private CompletableFuture<Void> jvmMetricsBound() {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        if (!jvmMetrics.compareAndSet(null, mine)) {
            return jvmMetrics.get();
        }
        try {
            new JvmMemoryMetrics().bindTo(registry);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(registry);
            closeables.add(gc); // it listens to GC notifications until closed
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        } catch (RuntimeException | Error e) {
            // the scrape goes on without them rather than failing every time
            LOG.warn("JVM and process metrics unavailable", e);
        } finally {
            mine.complete(null);
        }
        return mine;
    }

    public boolean publicScrape() {
        return publicScrape;
    }

    /**
     * Records one finished request. A map lookup and a histogram update: no allocation once the series exists.
     *
     * @param uri the route template, or a fixed label when no route matched (never the raw path: ids would
     *            make one series per collection)
     */
    public void recordRequest(String method, String uri, int status, long nanos) {
        RequestKey key = new RequestKey(method, uri, status);
        Timer t = timers.get(key);
        if (t == null) {
            t = timers.computeIfAbsent(key, k -> Timer.builder(REQUESTS)
                    .description("HTTP requests by route template, method and status")
                    .tags(Tags.of("method", k.method(), "uri", k.uri(), "status", Integer.toString(k.status()),
                            "outcome", outcome(k.status())))
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry));
        }
        t.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    static String outcome(int status) {
        if (status >= 500) return "SERVER_ERROR";
        if (status >= 400) return "CLIENT_ERROR";
        if (status >= 300) return "REDIRECTION";
        if (status >= 200) return "SUCCESS";
        return "INFORMATIONAL";
    }

    /**
     * Refreshes the per-collection gauges from the catalog, then writes every meter. OpenMetrics when the Accept
     * header asks for it, else Prometheus text 0.0.4. Synchronized: two scrapes at once would race on the gauges.
     */
    public synchronized Scrape scrape(String accept) {
        jvmMetricsBound().join();
        List<Engine.CollectionStats> stats = collections.get();
        List<MultiGauge.Row<?>> recordRows = new ArrayList<>(stats.size());
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>(stats.size());
        for (Engine.CollectionStats s : stats) {
            Tags tags = Tags.of("tenant", s.tenant(), "database", s.database(), "collection", s.name());
            recordRows.add(MultiGauge.Row.of(tags, s.records()));
            lagRows.add(MultiGauge.Row.of(tags, s.unindexedOps()));
        }
        records.register(recordRows, true); // true: rows of deleted or renamed collections go away
        indexLag.register(lagRows, true);
        collectionCount.set(stats.size());
        boolean openMetrics = accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text");
        String type = openMetrics ? OPEN_METRICS : TEXT_004;
        return new Scrape(type, registry.scrape(type));
    }

    @Override
    public void close() {
        // a binding not yet started never will be; one under way is waited for, so its GC listener is closed below
        if (!jvmMetrics.compareAndSet(null, CompletableFuture.completedFuture(null))) {
            jvmMetrics.get().join();
        }
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // a binder that cannot unregister its listener leaks nothing once the registry is gone
            }
        }
        registry.close();
    }
}
