package io.chroma.cli.internal.transfer;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** How export, import and copy report progress on stderr. */
final class ProgressOptions {

    @Option(names = {"-q", "--quiet"}, description = "Only the per-collection and final summaries on stderr.")
    boolean quiet;

    @Option(names = "--progress-interval", hidden = true, defaultValue = "5000",
            description = "Milliseconds between progress lines when stderr is not a terminal.")
    long progressInterval;

    Progress progress(PrintWriter err) {
        return new Progress(err, Progress.stderrIsTerminal(), progressInterval, quiet);
    }
}
