package io.chroma.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.chroma.core.StoreMaintenance;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chroma backup}: a point-in-time consistent copy of a store. */
@Command(name = "backup",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Write a point-in-time consistent copy of a store into a new directory: every write "
                + "acknowledged before the backup began is in it, and no write is in it only partly.",
                "From a stopped store (--path), or from a running server while it keeps serving (--url): the server "
                        + "then writes the backup on its own machine, into --to resolved against this directory.",
                "Restore it with 'chroma restore --from BACKUP --path DIR'."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success",
                "1:failure (--to not empty, I/O error, server error, another vacuum, backup or check running...)",
                "2:bad usage (unknown option, invalid value, both --path and --url)",
                "3:not found (no Chroma data directory at --path)",
                "4:server unreachable",
                "5:authentication or authorization refused (--url)",
                "7:data directory in use by another process (use --url)"},
        footer = {"", "The same exit codes as every chroma command but run: see 'chroma --help'."})
public final class BackupCommand extends MaintenanceCommand {

    @Option(names = "--to", paramLabel = "BACKUP", required = true,
            description = "The backup directory to create (it must not exist, or be empty).")
    String to;

    @Mixin
    StoreLocation store;

    @Override
    int execute() {
        oneOf(store);
        Path target = path("--to", to);
        if (store.url != null) {
            AdminClient c = store.client();
            JsonNode r = c.post("backup", "{\"path\":" + AdminClient.quote(target.toString()) + "}");
            print(r.path("source").asText() + " (server " + c.url() + ")", r.path("path").asText(),
                    r.path("took_ms").asLong(), r.path("collections").asLong(), r.path("records").asLong(),
                    r.path("indexes_copied").asLong(), r.path("bytes").asLong(), r.path("created").asText());
        } else {
            StoreMaintenance.BackupResult r = StoreMaintenance.backup(path("--path", store.path), target);
            print(r.manifest().source(), r.path().toString(), r.took().toMillis(), r.manifest().collections(),
                    r.manifest().records(), r.manifest().indexesCopied(), r.bytes(), r.manifest().created().toString());
        }
        return 0;
    }

    private void print(String source, String backup, long took, long collections, long records, long indexes,
                       long bytes, String created) {
        out().println("Backed up " + source + " to " + backup + " in " + took + " ms");
        out().println("  created:        " + created);
        out().println("  collections:    " + collections);
        out().println("  records:        " + records);
        out().println("  indexes copied: " + indexes + " (others are rebuilt on restore)");
        out().println("  bytes:          " + bytes(bytes));
        out().flush();
    }
}
