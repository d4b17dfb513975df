package io.chroma.cli.internal;

import io.chroma.core.StoreMaintenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chroma restore}: a backup into a data directory, checked. */
@Command(name = "restore",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Restore a backup made by 'chroma backup' into a data directory, then open it and check it.",
                "The directory must be empty or missing unless --force, which replaces what is there (never a store "
                        + "a running server holds). Start a server on it with 'chroma run --path DIR'."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success: restored and consistent",
                "1:failure (not a backup, an incomplete or newer one, --path not empty, I/O error...)",
                "2:bad usage (unknown option, invalid value)",
                "3:not found (no directory at --from)",
                "7:data directory in use by another process (--path: stop the server holding it)",
                "8:store inconsistent: restored, but the check found problems (printed, one per line)"},
        footer = {"", "The same exit codes as every chroma command but run: see 'chroma --help'."})
public final class RestoreCommand extends MaintenanceCommand {

    @Option(names = "--from", paramLabel = "BACKUP", required = true, description = "The backup directory.")
    String from;

    @Option(names = "--path", paramLabel = "DIR", required = true, description = "The data directory to restore into.")
    String path;

    @Option(names = "--force", description = "Replace the contents of a non-empty --path.")
    boolean force;

    @Override
    int execute() {
        StoreMaintenance.RestoreResult r = StoreMaintenance.restore(path("--from", from), path("--path", path), force);
        out().println("Restored the backup " + path("--from", from) + " into " + r.path() + " in " + r.took().toMillis() + " ms");
        out().println("  backup created: " + r.manifest().created() + " from " + r.manifest().source());
        out().println("  collections:    " + r.check().collections());
        out().println("  records:        " + r.check().records());
        out().flush();
        return CheckCommand.report(out(), r.check()) ? 0 : ExitCodes.INCONSISTENT;
    }
}
