package io.chroma.cli.internal.transfer;

import com.fasterxml.jackson.core.JsonFactory;
import io.chroma.api.Collection;
import io.chroma.cli.internal.ExitCodes;
import io.chroma.cli.internal.VersionProvider;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chroma export}: collections to JSON Lines, from a data directory or a server. */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Export collections (all of a tenant/database, or those named) to JSON Lines: per collection a header "
                    + "line (name, metadata, configuration), one line per record (id, embedding, document, "
                    + "metadata, uri) and an end line with the record count. Embeddings round-trip bit for bit.",
            "Written to FILE.partial and renamed when complete, so FILE is never a cut-off export."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:failure (server error, I/O error)",
            "2:bad usage (unknown option, invalid value)",
            "3:not found (data directory, database or collection)",
            "4:server unreachable",
            "5:authentication or authorization refused",
            "7:data directory in use by another process"},
        footer = {"", "Example: chroma export --path ./chroma_data -o all.jsonl",
            "         chroma export --url http://localhost:8000 --collection docs > docs.jsonl"})
public final class ExportCommand extends TransferCommand {

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-c", "--collection"}, paramLabel = "NAME",
            description = "A collection to export (repeatable). Default: every collection of the database.")
    List<String> collections;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "-",
            description = "Where to write; - for stdout. Default: stdout.")
    String output;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1000",
            description = "Records read per request. Default: ${DEFAULT-VALUE}")
    int batchSize;

    @Override
    public Integer call() {
        Commands.requireBatchSize(spec, batchSize);
        Endpoint from = Commands.option(spec, () -> connection.endpoint(env));
        PrintWriter err = spec.commandLine().getErr();
        return Commands.run(spec, () -> {
            long started = System.nanoTime();
            boolean toStdout = "-".equals(output);
            Path target = toStdout ? null : Path.of(output).toAbsolutePath().normalize();
            Path partial = toStdout ? null : target.resolveSibling(target.getFileName() + ".partial");
            long total = 0;
            int count = 0;
            try (Endpoint.Connection conn = from.open(false)) {
                List<Collection> list = Source.collections(conn.client(), collections, from.describe());
                OutputStream os = toStdout ? new FilterOutputStream(System.out) {
                    @Override
                    public void close() {
                        flushQuietly(out); // stdout stays open for whatever the caller prints next
                    }
                } : Files.newOutputStream(partial);
                Progress progress = progressOptions.progress(err);
                try (JsonlWriter w = new JsonlWriter(new BufferedOutputStream(os, 1 << 16), new JsonFactory())) {
                    w.fileHeader(from.describe(), from.tenant(), from.database());
                    for (Collection c : list) {
                        CollectionHeader h = CollectionHeader.of(c);
                        w.collection(h);
                        progress.start("export " + c.name(), h.count());
                        long n = Source.pages(c, batchSize, batch -> {
                            w.records(batch);
                            progress.advance(batch.size());
                        });
                        w.end(c.name(), n);
                        progress.finish("exported " + c.name() + ": " + n + " records");
                        total += n;
                        count++;
                    }
                    w.flush();
                }
            } catch (Exception e) {
                if (partial != null && Files.exists(partial)) {
                    // keep what was written for inspection, but never under the final name
                    err.println("note: the incomplete export is left in " + partial);
                }
                throw e;
            }
            if (!toStdout) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            double secs = (System.nanoTime() - started) / 1e9;
            err.println("Exported " + total + " records in " + count + " collection(s) from " + from.describe()
                    + " to " + (toStdout ? "stdout" : target.toString()) + " in " + Commands.secs(secs) + " ("
                    + Commands.rate(total, secs) + ")");
            err.flush();
            return ExitCodes.OK;
        });
    }

    private static void flushQuietly(OutputStream out) {
        try {
            out.flush();
        } catch (java.io.IOException ignored) {
            // stdout closed by the reader (e.g. `| head`): nothing left to tell
        }
    }
}
