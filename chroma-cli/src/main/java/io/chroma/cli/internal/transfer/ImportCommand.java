package io.chroma.cli.internal.transfer;

import com.fasterxml.jackson.core.JsonFactory;
import io.chroma.api.Records;
import io.chroma.cli.internal.ExitCodes;
import io.chroma.cli.internal.VersionProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chroma import}: an export (JSON Lines) into a data directory or a server. */
@Command(name = "import",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Import an export made by 'chroma export' into a data directory or a server, creating each collection "
                    + "with its metadata and configuration and adding its records in batches.",
            "A collection that exists already is an error unless --resume is given: then only the records whose ids "
                    + "are not there yet are added, so re-running an interrupted import neither loses nor "
                    + "duplicates records."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:failure (server error, malformed or truncated input, I/O error)",
            "2:bad usage (unknown option, invalid value)",
            "3:not found (input file, or a --collection not in it)",
            "4:server unreachable",
            "5:authentication or authorization refused",
            "6:target collection exists (use --resume)",
            "7:data directory in use by another process"},
        footer = {"", "Example: chroma import all.jsonl --path ./restored",
            "         chroma import all.jsonl --url http://localhost:8000 --resume"})
public final class ImportCommand extends TransferCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", defaultValue = "-",
            description = "The export to read; - for stdin. Default: stdin.")
    String input;

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-c", "--collection"}, paramLabel = "NAME",
            description = "Import only this collection (repeatable). Default: every collection in the input.")
    List<String> collections;

    @Mixin
    WriteOptions write;

    @Override
    public Integer call() {
        write.check(spec);
        Endpoint to = Commands.option(spec, () -> connection.endpoint(env));
        PrintWriter err = spec.commandLine().getErr();
        return Commands.run(spec, () -> {
            long started = System.nanoTime();
            BufferedReader in = "-".equals(input)
                    ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16)
                    : Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8); // missing: NoSuchFile, exit 3
            Set<String> wanted = collections == null ? null : new LinkedHashSet<>(collections);
            Set<String> seen = new HashSet<>();
            long total = 0;
            long skippedTotal = 0;
            int count = 0;
            try (JsonlReader reader = new JsonlReader(in, new JsonFactory());
                 Endpoint.Connection conn = to.open(true)) {
                Loader loader = new Loader(conn.client(), to.describe(), write.resume);
                int batch = loader.batchSize(write.batchSize);
                if (batch < write.batchSize && !progressOptions.quiet) {
                    err.println("note: --batch-size " + write.batchSize + " is above the target's maximum; using " + batch);
                }
                Progress progress = progressOptions.progress(err);
                Section section = null;
                boolean first = true;
                for (JsonlReader.Line line = reader.next(); line != null; line = reader.next()) {
                    if (first && !(line instanceof JsonlReader.FileStart)) {
                        throw new TransferException(ExitCodes.FAILURE, input + " is not a chroma export "
                                + "(its first line is not {\"type\":\"chroma-export\",...})");
                    }
                    first = false;
                    switch (line) {
                        case JsonlReader.FileStart f -> { }
                        case JsonlReader.Start s -> {
                            if (section != null) {
                                throw truncated(section, reader.lineNumber());
                            }
                            String name = s.header().name();
                            seen.add(name);
                            boolean take = wanted == null || wanted.contains(name);
                            section = new Section(s.header(), take, batch);
                            if (take) {
                                loader.begin(s.header());
                                progress.start("import " + name, s.header().count());
                            }
                        }
                        case JsonlReader.Row r -> {
                            if (section == null) {
                                throw new TransferException(ExitCodes.FAILURE, "line " + reader.lineNumber()
                                        + ": a record outside any collection");
                            }
                            section.read++;
                            if (section.take) {
                                section.add(r);
                                if (section.full()) {
                                    int n = section.flushInto(loader);
                                    progress.advance(n);
                                }
                            }
                        }
                        case JsonlReader.End e -> {
                            if (section == null || !section.header.name().equals(e.name())) {
                                throw new TransferException(ExitCodes.FAILURE, "line " + reader.lineNumber()
                                        + ": end of collection " + e.name() + " without its start");
                            }
                            if (section.read != e.count()) {
                                throw new TransferException(ExitCodes.FAILURE, "collection " + e.name() + ": the end line says "
                                        + e.count() + " records but " + section.read + " were read");
                            }
                            if (section.take) {
                                progress.advance(section.flushInto(loader));
                                total += loader.added();
                                skippedTotal += loader.skipped();
                                count++;
                                progress.finish("imported " + e.name() + ": " + loader.added() + " records added"
                                        + (write.resume ? ", " + loader.skipped() + " already there" : "")
                                        + "; the collection now holds " + loader.count());
                            }
                            section = null;
                        }
                    }
                }
                if (first) {
                    throw new TransferException(ExitCodes.FAILURE, input + " is empty, not a chroma export");
                }
                if (section != null) {
                    // keep what arrived (it is complete records), then fail: a re-run with the whole file and --resume finishes it
                    if (section.take) {
                        progress.advance(section.flushInto(loader));
                    }
                    throw truncated(section, reader.lineNumber());
                }
            }
            if (wanted != null) {
                List<String> missing = new ArrayList<>(wanted);
                missing.removeAll(seen);
                if (!missing.isEmpty()) {
                    throw new TransferException(ExitCodes.NOT_FOUND, "not in " + input + ": collection(s) " + missing);
                }
            }
            double secs = (System.nanoTime() - started) / 1e9;
            err.println("Imported " + total + " records in " + count + " collection(s) into " + to.describe()
                    + (write.resume ? " (" + skippedTotal + " already there, skipped)" : "") + " in " + Commands.secs(secs)
                    + " (" + Commands.rate(total + skippedTotal, secs) + ")");
            err.flush();
            return ExitCodes.OK;
        });
    }

    private static TransferException truncated(Section s, long line) {
        return new TransferException(ExitCodes.FAILURE, "the input ends inside collection " + s.header.name()
                + " after " + s.read + " of " + s.header.count() + " records (line " + line
                + "): the export is incomplete; records read so far were imported, re-run with the complete file and --resume");
    }

    /** The collection being read: its header, whether it is imported, and the batch being filled. */
    private static final class Section {
        final CollectionHeader header;
        final boolean take;
        final int batch;
        long read;
        List<String> ids = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        List<Map<String, Object>> metadatas = new ArrayList<>();
        List<String> uris = new ArrayList<>();

        Section(CollectionHeader header, boolean take, int batch) {
            this.header = header;
            this.take = take;
            this.batch = batch;
        }

        void add(JsonlReader.Row r) {
            ids.add(r.id());
            embeddings.add(r.embedding());
            documents.add(r.document());
            metadatas.add(r.metadata());
            uris.add(r.uri());
        }

        boolean full() {
            return ids.size() >= batch;
        }

        int flushInto(Loader loader) {
            int n = ids.size();
            if (n > 0) {
                loader.write(new Records(ids, embeddings, documents, metadatas, uris));
                ids = new ArrayList<>();
                embeddings = new ArrayList<>();
                documents = new ArrayList<>();
                metadatas = new ArrayList<>();
                uris = new ArrayList<>();
            }
            return n;
        }
    }
}
