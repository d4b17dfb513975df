package io.chroma.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.chroma.core.StoreMaintenance;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code chroma check}: the engine's consistency check. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Check that a store is consistent: every id maps to its record and back, per-collection "
                + "counts match, each collection index holds exactly its records, catalog rows are valid, no "
                + "keys belong to missing collections. An index that cannot be trusted is rebuilt while opening.",
                "On a stopped store (--path) or through a running server (--url)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success: the store is consistent",
                "1:failure: could not check (I/O error, server error, another vacuum, backup or check running...)",
                "2:bad usage (unknown option, invalid value, both --path and --url)",
                "3:not found (no Chroma data directory at --path)",
                "4:server unreachable",
                "5:authentication or authorization refused (--url)",
                "7:data directory in use by another process (use --url)",
                "8:store inconsistent: the problems are printed, one per line"},
        footer = {"", "The same exit codes as every chroma command but run: see 'chroma --help'."})
public final class CheckCommand extends MaintenanceCommand {

    @Mixin
    StoreLocation store;

    @Override
    int execute() {
        oneOf(store);
        StoreMaintenance.CheckResult r;
        if (store.url != null) {
            JsonNode j = store.client().post("check", "{}");
            List<String> problems = new ArrayList<>();
            j.path("problems").forEach(p -> problems.add(p.asText()));
            r = new StoreMaintenance.CheckResult(j.path("collections").asInt(), j.path("records").asLong(), problems);
        } else {
            r = StoreMaintenance.check(path("--path", store.path));
        }
        return report(out(), r) ? 0 : ExitCodes.INCONSISTENT;
    }

    /** Prints the verdict (and each problem); true when consistent. */
    static boolean report(PrintWriter out, StoreMaintenance.CheckResult r) {
        if (r.consistent()) {
            out.println("Consistent: " + r.collections() + " collections, " + r.records() + " records");
        } else {
            out.println("Inconsistent: " + r.problems().size() + " problem(s) in " + r.collections() + " collections, "
                    + r.records() + " records");
            for (String p : r.problems()) {
                out.println("  " + p);
            }
        }
        out.flush();
        return r.consistent();
    }
}
