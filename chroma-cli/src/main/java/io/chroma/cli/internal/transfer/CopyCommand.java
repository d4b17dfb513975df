package io.chroma.cli.internal.transfer;

import io.chroma.api.ChromaClient;
import io.chroma.api.Collection;
import io.chroma.cli.internal.ExitCodes;
import io.chroma.cli.internal.VersionProvider;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chroma copy}: collections from one /api/v2 server to another, a batch at a time. */
@Command(name = "copy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Copy collections between two servers speaking /api/v2 (ours or Chroma 1.x, either way round): "
                    + "each collection is created on the target with its metadata and configuration, then its "
                    + "records are read and written one batch at a time (the next batch is read while one is "
                    + "written; never the whole collection in memory).",
            "A collection that exists on the target is an error unless --resume is given: then records whose ids "
                    + "are there already are skipped."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:failure (server error)",
            "2:bad usage (unknown option, invalid value)",
            "3:not found (database or collection)",
            "4:a server is unreachable",
            "5:authentication or authorization refused",
            "6:target collection exists (use --resume)"},
        footer = {"", "Example: chroma copy --from http://old:8000 --to http://new:8000 --collection docs"})
public final class CopyCommand extends TransferCommand {

    @Option(names = "--from", paramLabel = "URL", required = true, description = "The server to read from.")
    String fromUrl;

    @Option(names = "--to", paramLabel = "URL", required = true, description = "The server to write to.")
    String toUrl;

    @Option(names = {"-c", "--collection"}, paramLabel = "NAME",
            description = "A collection to copy (repeatable). Default: every collection of the source database.")
    List<String> collections;

    @Option(names = "--from-tenant", paramLabel = "TENANT", defaultValue = ChromaClient.DEFAULT_TENANT,
            description = "Default: ${DEFAULT-VALUE}")
    String fromTenant;

    @Option(names = "--from-database", paramLabel = "DATABASE", defaultValue = ChromaClient.DEFAULT_DATABASE,
            description = "Default: ${DEFAULT-VALUE}")
    String fromDatabase;

    @Option(names = "--to-tenant", paramLabel = "TENANT", defaultValue = ChromaClient.DEFAULT_TENANT,
            description = "Default: ${DEFAULT-VALUE} (created if missing, as is the database)")
    String toTenant;

    @Option(names = "--to-database", paramLabel = "DATABASE", defaultValue = ChromaClient.DEFAULT_DATABASE,
            description = "Default: ${DEFAULT-VALUE}")
    String toDatabase;

    @Option(names = "--from-token", paramLabel = "TOKEN", description = "Token for the source server.")
    String fromToken;

    @Option(names = "--to-token", paramLabel = "TOKEN", description = "Token for the target server.")
    String toToken;

    @Option(names = "--from-basic-auth", paramLabel = "USER:PASSWORD", description = "Basic auth for the source server.")
    String fromBasic;

    @Option(names = "--to-basic-auth", paramLabel = "USER:PASSWORD", description = "Basic auth for the target server.")
    String toBasic;

    @Option(names = "--token-header", paramLabel = "HEADER",
            description = "Where tokens go: Authorization (Bearer, the default) or X-Chroma-Token.")
    String tokenHeader;

    @Mixin
    WriteOptions write;

    @Override
    public Integer call() {
        write.check(spec);
        // the client auth variables apply to both sides; the flags to one
        Endpoint from = Commands.option(spec, () -> endpoint(fromUrl, fromTenant, fromDatabase, fromToken, fromBasic));
        Endpoint to = Commands.option(spec, () -> endpoint(toUrl, toTenant, toDatabase, toToken, toBasic));
        PrintWriter err = spec.commandLine().getErr();
        return Commands.run(spec, () -> {
            long started = System.nanoTime();
            long total = 0;
            long skippedTotal = 0;
            int count = 0;
            try (Endpoint.Connection src = from.open(false); Endpoint.Connection dst = to.open(true)) {
                List<Collection> list = Source.collections(src.client(), collections, from.describe());
                Loader loader = new Loader(dst.client(), to.describe(), write.resume);
                loader.requireAbsentUnlessResuming(list.stream().map(Collection::name).toList());
                int batch = loader.batchSize(write.batchSize);
                Progress progress = progressOptions.progress(err);
                for (Collection c : list) {
                    CollectionHeader h = CollectionHeader.of(c);
                    loader.begin(h);
                    progress.start("copy " + c.name(), h.count());
                    Source.pagesPrefetched(c, batch, records -> {
                        loader.write(records);
                        progress.advance(records.size());
                    });
                    total += loader.added();
                    skippedTotal += loader.skipped();
                    count++;
                    progress.finish("copied " + c.name() + ": " + loader.added() + " records added"
                            + (write.resume ? ", " + loader.skipped() + " already there" : "")
                            + "; the target collection now holds " + loader.count());
                }
            }
            double secs = (System.nanoTime() - started) / 1e9;
            err.println("Copied " + total + " records in " + count + " collection(s) from " + from.describe() + " to "
                    + to.describe() + (write.resume ? " (" + skippedTotal + " already there, skipped)" : "") + " in "
                    + Commands.secs(secs) + " (" + Commands.rate(total + skippedTotal, secs) + ")");
            err.flush();
            return ExitCodes.OK;
        });
    }

    private Endpoint endpoint(String url, String tenant, String database, String token, String basic) {
        return Endpoint.server(url, tenant, database, Endpoint.Auth.resolve(token, tokenHeader, basic, env));
    }
}
