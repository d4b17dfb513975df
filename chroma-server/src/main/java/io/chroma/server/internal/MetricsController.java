package io.chroma.server.internal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics} for Prometheus. On the blocking executor: writing every meter is a few hundred microseconds
 * with many collections, which the event loop should not spend. With auth on, it needs an unrestricted user (it
 * names every tenant's collections) unless the server was started with public metrics.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class MetricsController {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsController.class);

    private final ServerMetrics metrics;

    public MetricsController(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Get(ServerMetrics.PATH)
    @Produces({"text/plain", "application/openmetrics-text"}) // what Prometheus asks for; JSON would be refused with 406
    public MutableHttpResponse<byte[]> scrape(@Nullable @Header(HttpHeaders.ACCEPT) String accept) {
        long t0 = System.nanoTime();
        ServerMetrics.Scrape s = metrics.scrape(accept);
        byte[] body = s.body().getBytes(StandardCharsets.UTF_8);
        LOG.debug("metrics scrape: {} bytes in {} us", body.length, (System.nanoTime() - t0) / 1000);
        return HttpResponse.ok(body).contentType(s.contentType());
    }
}
