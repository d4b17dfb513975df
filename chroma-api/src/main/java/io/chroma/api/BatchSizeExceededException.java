package io.chroma.api;

/** A write batch larger than {@link ChromaClient#maxBatchSize()} (HTTP 413). */
public class BatchSizeExceededException extends ChromaException {
    public BatchSizeExceededException(int size, int max) {
        super("BatchSizeExceededError", "Batch size " + size + " exceeds maximum batch size " + max);
    }

    public BatchSizeExceededException(String message) {
        super("BatchSizeExceededError", message);
    }
}
