package io.chroma.cli.internal.transfer;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How import and copy write into the target. */
final class WriteOptions {

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1000",
            description = "Records per batch, capped at the target's maximum batch size. Default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--resume",
            description = "Write into collections that exist already, skipping records whose ids are there.")
    boolean resume;

    /** Rejects what picocli cannot: a batch size below 1 is a usage error (exit 2). */
    void check(CommandLine.Model.CommandSpec spec) {
        Commands.requireBatchSize(spec, batchSize);
    }
}
