package io.chroma.cli;

import static io.chroma.cli.CliResult.run;
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

    @Test
    void helpAndVersion() {
        CliResult help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: chroma", "run");
        CliResult version = run("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).containsPattern("chroma \\(Java\\) \\d+\\.\\d+\\.\\d+");
        CliResult runHelp = run("run", "--help");
        assertThat(runHelp.code()).isZero();
        assertThat(runHelp.out()).contains("--path=DIR", "Default: ./chroma_data", "Default: localhost", "Default: 8000");
    }

    @Test
    void aSubcommandsArgumentsBuildOnlyThatSubcommandWithTheSameHelpAndSettings() {
        assertThat(ChromaCli.commandLine(new String[] {"run", "--port", "1"}).getSubcommands()).containsOnlyKeys("run");
        assertThat(ChromaCli.commandLine(new String[] {"--help"}).getSubcommands())
                .containsKeys("run", "vacuum", "backup", "restore", "check", "export", "import", "copy", "help");
        assertThat(ChromaCli.commandLine(new String[] {"help", "run"}).getSubcommands()).hasSize(9);
        assertThat(ChromaCli.commandLine(new String[] {"rnu"}).getSubcommands()).hasSize(9);
        // the settings reach the lone sub-command as they reach every one in the full tree
        String alone = run("run", "--help").out();
        StringWriter full = new StringWriter();
        CommandLine all = ChromaCli.commandLine();
        all.setOut(new PrintWriter(full, true));
        assertThat(all.execute("run", "--help")).isZero();
        assertThat(alone).isEqualTo(full.toString());
        assertThat(run("check", "--nope").err()).contains("Try 'chroma check --help'");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run().code()).isEqualTo(ChromaCli.EXIT_USAGE);
        assertThat(run("run", "--nope").code()).isEqualTo(ChromaCli.EXIT_USAGE);
        CliResult badPort = run("run", "--port", "65536");
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

    @Test
    void runHelpDocumentsAuthFlagsAndVariables() {
        CliResult runHelp = run("run", "--help");
        assertThat(runHelp.out()).contains("--auth-provider=PROVIDER", "--auth-credentials=CREDENTIALS",
                "--auth-credentials-file=FILE", "--auth-token-header=HEADER",
                "CHROMA_SERVER_AUTHN_PROVIDER", "CHROMA_SERVER_AUTH_PROVIDER", "CHROMA_AUTH_TOKEN_TRANSPORT_HEADER");
    }

    @Test
    void authMisconfigurationExitsOneNamingTheSetting(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String path = dir.resolve("data").toString();
        CliResult noFile = run("run", "--path", path, "--port", "0", "--auth-provider", "basic");
        assertThat(noFile.code()).isEqualTo(ChromaCli.EXIT_FAILURE);
        assertThat(noFile.err().strip()).startsWith("error: auth misconfigured:").contains("--auth-credentials-file")
                .doesNotContain("\n");
        CliResult missing = run("run", "--path", path, "--port", "0", "--auth-provider", "basic",
                "--auth-credentials-file", dir.resolve("nope.htpasswd").toString());
        assertThat(missing.code()).isEqualTo(ChromaCli.EXIT_FAILURE);
        assertThat(missing.err()).contains("does not exist", "--auth-credentials-file");
        CliResult badProvider = run("run", "--path", path, "--port", "0", "--auth-provider", "kerberos");
        assertThat(badProvider.code()).isEqualTo(ChromaCli.EXIT_FAILURE);
        assertThat(badProvider.err()).contains("kerberos", "--auth-provider");
        CliResult badHeader = run("run", "--path", path, "--port", "0", "--auth-provider", "token",
                "--auth-credentials", "s3cret-token", "--auth-token-header", "X-Api-Key");
        assertThat(badHeader.code()).isEqualTo(ChromaCli.EXIT_FAILURE);
        assertThat(badHeader.err()).contains("--auth-token-header").doesNotContain("s3cret-token");
        assertThat(java.nio.file.Files.exists(dir.resolve("data"))).as("no store opened").isFalse();
    }
}
