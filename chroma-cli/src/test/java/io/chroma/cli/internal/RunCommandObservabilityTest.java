package io.chroma.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chroma.cli.ChromaCli;
import io.chroma.cli.CliResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --log-level / CHROMA_LOG_LEVEL and --metrics-public / CHROMA_METRICS_PUBLIC, parsed in-process. */
class RunCommandObservabilityTest {

    @TempDir
    Path dir;

    private static CliResult run(Map<String, String> env, String... args) {
        return CliResult.run(cl -> ((RunCommand) cl.getSubcommands().get("run").getCommand()).env = env, args);
    }

    @Test
    void badLogLevelIsAUsageError() {
        CliResult flag = run(Map.of(), "run", "--log-level", "loud", "--port", "0");
        assertThat(flag.code()).isEqualTo(ChromaCli.EXIT_USAGE);
        assertThat(flag.err()).contains("--log-level", "loud", "debug, info, warn, error", "chroma run --help");
        CliResult missing = run(Map.of(), "run", "--log-level");
        assertThat(missing.code()).isEqualTo(ChromaCli.EXIT_USAGE);
        CliResult fromEnv = run(Map.of("CHROMA_LOG_LEVEL", "chatty"), "run", "--port", "0");
        assertThat(fromEnv.code()).isEqualTo(ChromaCli.EXIT_USAGE);
        assertThat(fromEnv.err()).contains("CHROMA_LOG_LEVEL", "chatty");
        CliResult badBool = run(Map.of("CHROMA_METRICS_PUBLIC", "maybe"), "run", "--port", "0");
        assertThat(badBool.code()).isEqualTo(ChromaCli.EXIT_USAGE);
        assertThat(badBool.err()).contains("CHROMA_METRICS_PUBLIC");
    }

    @Test
    void goodLevelsAreAcceptedAndTheFlagBeatsTheEnvironment() {
        // a valid level gets past parsing to the next check (auth misconfigured: exit 1, not a usage error)
        String path = dir.resolve("data").toString();
        for (String level : new String[] {"WARN", "warn", "error"}) {
            CliResult r = run(Map.of(), "run", "--path", path, "--port", "0", "--log-level", level, "--auth-provider", "basic");
            assertThat(r.code()).as(r.err()).isEqualTo(ChromaCli.EXIT_FAILURE);
            assertThat(r.err()).contains("auth misconfigured");
        }
        CliResult flagWins = run(Map.of("CHROMA_LOG_LEVEL", "nonsense"), "run", "--path", path, "--port", "0",
                "--log-level", "warn", "--auth-provider", "basic");
        assertThat(flagWins.code()).isEqualTo(ChromaCli.EXIT_FAILURE);
    }

    @Test
    void helpDocumentsTheOptionsAndVariables() {
        CliResult help = run(Map.of(), "run", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--log-level=LEVEL", "--metrics-public", "CHROMA_LOG_LEVEL",
                "CHROMA_METRICS_PUBLIC", "/metrics");
    }
}
