package io.chroma.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chroma.api.StoreInUseException;
import io.chroma.cli.internal.RunCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** In-process checks of parsing and exit codes; starting real servers is chroma-it's job. */
class ChromaCliTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cl = ChromaCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpAndVersion() {
        Result help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: chroma", "run");
        Result version = run("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).containsPattern("chroma \\(Java\\) \\d+\\.\\d+\\.\\d+");
        Result runHelp = run("run", "--help");
        assertThat(runHelp.code()).isZero();
        assertThat(runHelp.out()).contains("--path=DIR", "Default: ./chroma_data", "Default: localhost", "Default: 8000");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run().code()).isEqualTo(ChromaCli.EXIT_USAGE);
        assertThat(run("run", "--nope").code()).isEqualTo(ChromaCli.EXIT_USAGE);
        Result badPort = run("run", "--port", "65536");
        assertThat(badPort.code()).isEqualTo(ChromaCli.EXIT_USAGE);
        assertThat(badPort.err()).contains("65536", "chroma run --help");
        assertThat(run("run", "--port", "eighty").code()).isEqualTo(ChromaCli.EXIT_USAGE);
    }

    @Test
    void startFailuresAreDescribedInOneLine() {
        String inUse = RunCommand.describe(new IllegalStateException("start failed",
                new StoreInUseException("/data is locked by process 42", null)));
        assertThat(inUse).contains("in use", "/data is locked by process 42").doesNotContain("\n");
        String port = RunCommand.describe(new RuntimeException("Netty failed",
                new BindException("Address already in use")));
        assertThat(port).contains("Address already in use", "--port");
        assertThat(RunCommand.describe(new RuntimeException("a\nb"))).isEqualTo("a b");
    }
}
