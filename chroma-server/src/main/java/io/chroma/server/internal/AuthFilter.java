package io.chroma.server.internal;

import io.chroma.server.auth.AuthResult;
import io.chroma.server.auth.Authenticator;
import io.chroma.server.auth.Identity;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs the Authenticator on every request before the route binds the body; answers 401/403 itself.
 *
 * Event loop: no auth, public routes, tokens and basic credentials already in the cache are decided inline
 * (well under 1 us of CPU). Only a basic credential not yet cached needs bcrypt (about 3 ms CPU at htpasswd's
 * default cost 5, about 90 ms at cost 10): that decision runs on the blocking executor, and the chain then
 * continues on that worker thread (the controller too, for that one request). The event loop never runs bcrypt.
 *
 * Order: SECURITY phase, i.e. inside Micronaut's CORS filter (METRICS phase), so 401/403 carry CORS headers.
 *
 * Why a FilterContinuation and not "return CompletableFuture<HttpResponse>": with Micronaut 4.10.15, a
 * CompletableFuture that completes LATER with null (= proceed) made the server answer 503 with an empty body;
 * the continuation form below passed the same check (async miss -> 200, body bound afterwards).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class AuthFilter implements Ordered {

    private final Authenticator authenticator;
    private final Executor blocking;
    private final boolean publicMetrics;

    AuthFilter(Authenticator authenticator, @Named(TaskExecutors.BLOCKING) Executor blocking, ServerMetrics metrics) {
        this.authenticator = authenticator;
        this.blocking = blocking;
        this.publicMetrics = metrics.publicScrape();
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }

    @RequestFilter
    Publisher<HttpResponse<?>> filter(HttpRequest<?> request, FilterContinuation<Publisher<HttpResponse<?>>> chain) {
        if (!authenticator.enabled()) {
            return chain.proceed();
        }
        String method = request.getMethodName();
        String rawPath = request.getUri().getRawPath();                                  // undecoded, on purpose
        if (publicMetrics && rawPath.equals(ServerMetrics.PATH) && method.equals("GET")) {
            return chain.proceed(); // the operator chose to let scrapers in without credentials
        }
        Function<String, String> header = name -> request.getHeaders().get(name);        // case-insensitive
        Function<String, String> query = name -> request.getParameters().get(name);      // decoded
        Optional<AuthResult> fast = authenticator.authenticateWithoutBlocking(method, rawPath, header, query);
        if (fast.isPresent()) {
            HttpResponse<?> denied = denial(request, fast.get());
            return denied == null ? chain.proceed() : Mono.just(denied);
        }
        return Mono.fromCallable(() -> authenticator.authenticate(method, rawPath, header, query))
                .subscribeOn(Schedulers.fromExecutor(blocking))
                .flatMap(result -> {
                    HttpResponse<?> denied = denial(request, result);
                    return denied == null ? Mono.from(chain.proceed()) : Mono.just(denied);
                });
    }

    /** null = allowed (identity stored for GET /api/v2/auth/identity); otherwise the error response. */
    private static @Nullable HttpResponse<?> denial(HttpRequest<?> request, AuthResult result) {
        if (result instanceof AuthResult.Allowed allowed) {
            request.setAttribute(Identity.REQUEST_ATTRIBUTE, allowed.identity());
            return null;
        }
        AuthResult.Denied denied = (AuthResult.Denied) result;
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", denied.error());
        body.put("message", denied.message());
        MutableHttpResponse<Map<String, String>> response = HttpResponse
                .<Map<String, String>>status(HttpStatus.valueOf(denied.status()))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(body);
        denied.headers().forEach(response::header);
        return response;
    }
}
