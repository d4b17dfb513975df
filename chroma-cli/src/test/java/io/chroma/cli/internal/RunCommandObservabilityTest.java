package io.chroma.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chroma.cli.ChromaCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --log-level / CHROMA_LOG_LEVEL and --metrics-public / CHROMA_METRICS_PUBLIC, parsed in-process. */
class RunCommandObservabilityTest {

    private record Result(int code, String out, String err) {
    }

    @TempDir
    Path dir;

    private static Result run(Map<String, String> env, String... args) {
        CommandLine cl = ChromaCli.commandLine();
        ((RunCommand) cl.getSubcommands().get("run").getCommand()).env = env;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void badLogLevelIsAUsageError() {
        Result flag = run(Map.of(), "run", "--log-level", "loud", "--port", "0");
        assertThat(flag.code()).isEqualTo(ChromaCli.EXIT_USAGE);
        assertThat(flag.err()).contains("--log-level", "loud", "debug, info, warn, error", "chroma run --help");
        Result missing = run(Map.of(), "run", "--log-level");
        assertThat(missing.code()).isEqualTo(ChromaCli.EXIT_USAGE);
        Result fromEnv = run(Map.of("CHROMA_LOG_LEVEL", "chatty"), "run", "--port", "0");
        assertThat(fromEnv.code()).isEqualTo(ChromaCli.EXIT_USAGE);
        assertThat(fromEnv.err()).contains("CHROMA_LOG_LEVEL", "chatty");
        Result badBool = run(Map.of("CHROMA_METRICS_PUBLIC", "maybe"), "run", "--port", "0");
        assertThat(badBool.code()).isEqualTo(ChromaCli.EXIT_USAGE);
        assertThat(badBool.err()).contains("CHROMA_METRICS_PUBLIC");
    }

    @Test
    void goodLevelsAreAcceptedAndTheFlagBeatsTheEnvironment() {
        // a valid level gets past parsing to the next check (auth misconfigured: exit 1, not a usage error)
        String path = dir.resolve("data").toString();
        for (String level : new String[] {"WARN", "warn", "error"}) {
            Result r = run(Map.of(), "run", "--path", path, "--port", "0", "--log-level", level, "--auth-provider", "basic");
            assertThat(r.code()).as(r.err()).isEqualTo(ChromaCli.EXIT_FAILURE);
            assertThat(r.err()).contains("auth misconfigured");
        }
        Result flagWins = run(Map.of("CHROMA_LOG_LEVEL", "nonsense"), "run", "--path", path, "--port", "0",
                "--log-level", "warn", "--auth-provider", "basic");
        assertThat(flagWins.code()).isEqualTo(ChromaCli.EXIT_FAILURE);
    }

    @Test
    void helpDocumentsTheOptionsAndVariables() {
        Result help = run(Map.of(), "run", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--log-level=LEVEL", "--metrics-public", "CHROMA_LOG_LEVEL",
                "CHROMA_METRICS_PUBLIC", "/metrics");
    }
}
