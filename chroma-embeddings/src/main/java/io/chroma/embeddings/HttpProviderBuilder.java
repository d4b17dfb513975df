package io.chroma.embeddings;

import io.chroma.embeddings.internal.ProviderHttp;

import java.time.Duration;
import java.util.Objects;

/**
 * What every HTTP embedding provider's builder has: inputs per request and the retry policy
 * (a 429, a 5xx or a connection failure is retried with exponential backoff).
 *
 * @param <B> the provider's own builder, returned by every setter
 */
public abstract class HttpProviderBuilder<B extends HttpProviderBuilder<B>> {
    int batchSize;
    int maxRetries = 3;
    Duration retryBackoff = Duration.ofMillis(500);

    HttpProviderBuilder(int defaultBatchSize) {
        this.batchSize = defaultBatchSize;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Inputs per request (each provider's default and limit are in its own documentation). */
    public B batchSize(int v) {
        this.batchSize = v;
        return self();
    }

    /** Retries after a 429, a 5xx or a connection failure (default 3). */
    public B maxRetries(int v) {
        this.maxRetries = v;
        return self();
    }

    /** First retry delay, doubled on each retry (default 500 ms). */
    public B retryBackoff(Duration v) {
        this.retryBackoff = Objects.requireNonNull(v);
        return self();
    }

    /** The batch size, checked against the provider's limit. */
    int checkedBatchSize(int max) {
        if (batchSize < 1 || batchSize > max) {
            throw new IllegalArgumentException(max == Integer.MAX_VALUE
                    ? "batchSize must be positive, got " + batchSize
                    : "batchSize must be in 1.." + max + ", got " + batchSize);
        }
        return batchSize;
    }

    ProviderHttp http(String provider, Duration timeout) {
        return new ProviderHttp(provider, timeout, maxRetries, retryBackoff);
    }
}
