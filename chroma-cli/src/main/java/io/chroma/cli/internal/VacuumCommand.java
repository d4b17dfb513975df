package io.chroma.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.chroma.core.StoreMaintenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code chroma vacuum}: reclaims the space of deleted and updated records. */
@Command(name = "vacuum",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Reclaim the disk space of deleted and updated records: merge each collection's index "
                + "without them, compact the record store, remove leftover files. Prints the size before and after.",
                "On a stopped store (--path) or through a running server (--url)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success",
                "1:failure (I/O error, server error, another vacuum, backup or check running...)",
                "2:bad usage (unknown option, invalid value, both --path and --url)",
                "3:not found (no Chroma data directory at --path)",
                "4:server unreachable",
                "5:authentication or authorization refused (--url)",
                "7:data directory in use by another process (use --url)"},
        footer = {"", "The same exit codes as every chroma command but run: see 'chroma --help'."})
public final class VacuumCommand extends MaintenanceCommand {

    @Mixin
    StoreLocation store;

    @Override
    int execute() {
        oneOf(store);
        long before, after, took;
        String where;
        if (store.url != null) {
            AdminClient c = store.client();
            JsonNode r = c.post("vacuum", "{}");
            before = r.path("bytes_before").asLong();
            after = r.path("bytes_after").asLong();
            took = r.path("took_ms").asLong();
            where = r.path("path").asText() + " (server " + c.url() + ")";
        } else {
            StoreMaintenance.VacuumResult r = StoreMaintenance.vacuum(path("--path", store.path));
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
