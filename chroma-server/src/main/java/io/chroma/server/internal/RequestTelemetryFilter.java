package io.chroma.server.internal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteMatch;
import io.micronaut.web.router.UriRouteMatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.Map;

/**
 * Per request: the trace id (given or generated, echoed in {@code chroma-trace-id}, in the MDC for every log line
 * written while the request runs, on whichever thread), the request metric, and one access-log line
 * ({@code io.chroma.server.request} at INFO, logfmt):
 * <pre>method=POST route=/api/v2/tenants/{tenant}/databases/{database}/collections/{id}/query status=200
 * duration_ms=1.27 trace_id=4bf92f3577b34da6a3ce929d0e0e4736 path=/api/v2/tenants/default_tenant/...</pre>
 * Never headers (credentials live there) nor bodies.
 *
 * Order: FIRST, outside CORS and AuthFilter, so 401/403 and CORS answers are timed, counted and logged too.
 * Both halves are cheap enough for the event loop (a header read, a random id, a map lookup and a histogram
 * update; the log line is handed to an async appender, ServerLogging); the response half usually runs
 * on the blocking executor that ran the controller.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
// -Dchroma.telemetry.enabled=false removes the filter: only for measuring what it costs (TelemetryOverheadMeasurement)
@Requires(property = "chroma.telemetry.enabled", notEquals = "false")
final class RequestTelemetryFilter implements Ordered {

    static final String LOGGER = "io.chroma.server.request";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final String ATTRIBUTE = "io.chroma.server.telemetry";

    /** Route labels when no route matched: fixed strings, never the raw path. */
    static final String NOT_FOUND = "NOT_FOUND";
    static final String UNMATCHED = "UNMATCHED";

    private final ServerMetrics metrics;

    RequestTelemetryFilter(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    private record Started(String traceId, long startNanos) {
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }

    @RequestFilter
    void start(HttpRequest<?> request, MutablePropagatedContext context) {
        String traceId = TraceId.of(request.getHeaders().get(TraceId.HEADER), request.getHeaders().get(TraceId.TRACEPARENT));
        request.setAttribute(ATTRIBUTE, new Started(traceId, System.nanoTime()));
        // Micronaut restores this MDC on every thread that continues the request (event loop, blocking executor)
        context.add(new MdcPropagationContext(Map.of(TraceId.MDC_KEY, traceId)));
    }

    @ResponseFilter
    void finish(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (!(request.getAttribute(ATTRIBUTE).orElse(null) instanceof Started started)) {
            return; // the request half did not run (the request failed before filters); nothing to report
        }
        long nanos = System.nanoTime() - started.startNanos();
        response.getHeaders().set(TraceId.HEADER, started.traceId());
        int status = response.code();
        // the enum, not the raw method name: an unknown method is CUSTOM, so clients cannot mint new series
        String method = request.getMethod().name();
        String route = route(request, status);
        metrics.recordRequest(method, route, status, nanos);
        if (LOG.isInfoEnabled()) {
            String previous = MDC.get(TraceId.MDC_KEY);
            MDC.put(TraceId.MDC_KEY, started.traceId());
            try {
                LOG.info(line(method, route, status, nanos, started.traceId(), request.getUri().getRawPath()));
            } finally {
                if (previous == null) {
                    MDC.remove(TraceId.MDC_KEY);
                } else {
                    MDC.put(TraceId.MDC_KEY, previous);
                }
            }
        }
    }

    /** The matched route's template (e.g. {@code /api/v2/tenants/{tenant}/databases/{database}/collections/{id}/query}). */
    static String route(HttpRequest<?> request, int status) {
        RouteMatch<?> match = RouteAttributes.getRouteMatch(request).orElse(null);
        if (match instanceof UriRouteMatch<?, ?> uri) {
            return uri.getRouteInfo().getUriMatchTemplate().toPathString();
        }
        return status == 404 ? NOT_FOUND : UNMATCHED;
    }

    static String line(String method, String route, int status, long nanos, String traceId, String path) {
        StringBuilder b = new StringBuilder(160 + path.length());
        b.append("method=").append(method);
        b.append(" route=");
        logfmt(b, route);
        b.append(" status=").append(status);
        b.append(" duration_ms=");
        long micros = nanos / 1000;
        b.append(micros / 1000).append('.');
        long frac = micros % 1000;
        if (frac < 100) b.append('0');
        if (frac < 10) b.append('0');
        b.append(frac);
        b.append(" trace_id=").append(traceId); // validated: no characters that need quoting
        b.append(" path=");
        logfmt(b, path);
        return b.toString();
    }

    /** A logfmt value: bare when it has no space, quote, equals sign or control character, else quoted and escaped. */
    static void logfmt(StringBuilder b, String v) {
        boolean plain = !v.isEmpty();
        for (int i = 0; i < v.length() && plain; i++) {
            char c = v.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c != '\\' && c != 0x7f;
        }
        if (plain) {
            b.append(v);
            return;
        }
        b.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < ' ' || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
