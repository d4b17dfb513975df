package io.chroma.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.chroma.core.StoreMaintenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chroma vacuum}: reclaims the space of deleted and updated records. */
@Command(name = "vacuum",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Reclaim the disk space of deleted and updated records: merge each collection's index "
                + "without them, compact the record store, remove leftover files. Prints the size before and after.",
                "On a stopped store (--path) or through a running server (--url)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed (not a Chroma data directory, I/O error, server error...)",
                "2:bad usage", "3:the store is in use by another process (use --url)", "4:the server is unreachable"})
public final class VacuumCommand extends MaintenanceCommand {

    @Option(names = "--path", paramLabel = "DIR", description = "Data directory of a stopped store.")
    String path;

    @Option(names = "--url", paramLabel = "URL", description = "A running server, e.g. http://localhost:8000.")
    String url;

    @Mixin
    ServerOptions server;

    @Override
    int execute() {
        oneOf(path, url);
        long before, after, took;
        String where;
        if (url != null) {
            AdminClient c = server.client(url);
            JsonNode r = c.post("vacuum", "{}");
            before = r.path("bytes_before").asLong();
            after = r.path("bytes_after").asLong();
            took = r.path("took_ms").asLong();
            where = r.path("path").asText() + " (server " + c.url() + ")";
        } else {
            StoreMaintenance.VacuumResult r = StoreMaintenance.vacuum(path("--path", path));
            before = r.bytesBefore();
            after = r.bytesAfter();
            took = r.took().toMillis();
            where = r.path().toString();
        }
        out().println("Vacuumed " + where + " in " + took + " ms");
        out().println("  bytes before: " + bytes(before));
        out().println("  bytes after:  " + bytes(after));
        out().println("  reclaimed:    " + bytes(before - after));
        out().flush();
        return 0;
    }
}
