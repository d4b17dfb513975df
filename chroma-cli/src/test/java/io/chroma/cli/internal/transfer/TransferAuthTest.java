package io.chroma.cli.internal.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.chroma.api.ChromaClient;
import io.chroma.api.Records;
import io.chroma.cli.ChromaCli;
import io.chroma.cli.CliResult;
import io.chroma.cli.internal.ExitCodes;
import io.chroma.client.HttpClient;
import io.chroma.server.ChromaServer;
import io.chroma.server.ServerConfig;
import io.chroma.server.auth.AuthProvider;
import io.chroma.server.auth.AuthSettings;
import io.chroma.server.auth.TokenHeader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials for export and copy against a server with token auth: flags, header choice, Chroma's client variables. */
class TransferAuthTest {

    static CliResult run(Map<String, String> env, String... args) {
        return CliResult.run(cl -> cl.getSubcommands().values().forEach(sub -> {
            // the command line holds only the sub-command its arguments name
            if (sub.getCommand() instanceof ExportCommand export) {
                export.env = env;
            } else if (sub.getCommand() instanceof CopyCommand copy) {
                copy.env = env;
            }
        }), args);
    }

    @Test
    void tokenFromFlagsOrEnvironmentAndRefusalExitsFive(@TempDir Path dir) {
        AuthSettings auth = AuthSettings.none().withProvider(AuthProvider.TOKEN).withCredentials("s3cret")
                .withTokenHeader(TokenHeader.X_CHROMA_TOKEN);
        try (ChromaServer server = ChromaServer.start(ServerConfig.defaults().withPath(dir.resolve("data"))
                .withHost("127.0.0.1").withPort(0).withAuth(auth))) {
            String url = server.url();
            try (ChromaClient c = HttpClient.builder().url(url)
                    .tokenAuth("s3cret", io.chroma.client.TokenHeader.X_CHROMA_TOKEN).build()) {
                c.createCollection("secured").add(Records.ids("a", "b").embeddings(new float[] {1, 2}, new float[] {3, 4}));
            }
            Path out = dir.resolve("out.jsonl");

            CliResult none = run(Map.of(), "export", "--url", url, "-o", out.toString());
            assertThat(none.code()).isEqualTo(ExitCodes.AUTH);
            assertThat(none.err().strip()).startsWith("error: the server refused the credentials").doesNotContain("\n");

            CliResult wrongHeader = run(Map.of(), "export", "--url", url, "--token", "s3cret", "-o", out.toString());
            assertThat(wrongHeader.code()).as("Bearer where X-Chroma-Token is expected").isEqualTo(ExitCodes.AUTH);

            CliResult flags = run(Map.of(), "export", "--url", url, "--token", "s3cret", "--token-header", "X-Chroma-Token",
                    "-o", out.toString());
            assertThat(flags.code()).as(flags.err()).isZero();
            assertThat(flags.err()).contains("Exported 2 records in 1 collection(s)");

            Map<String, String> env = Map.of("CHROMA_CLIENT_AUTH_PROVIDER", "chromadb.auth.token_authn.TokenAuthClientProvider",
                    "CHROMA_CLIENT_AUTH_CREDENTIALS", "s3cret", "CHROMA_AUTH_TOKEN_TRANSPORT_HEADER", "X-Chroma-Token");
            CliResult fromEnv = run(env, "export", "--url", url, "-o", out.toString());
            assertThat(fromEnv.code()).as(fromEnv.err()).isZero();

            CliResult copyOneSided = run(Map.of(), "copy", "--from", url, "--to", url, "--to-database", "copy",
                    "--from-token", "s3cret", "--token-header", "X-Chroma-Token");
            assertThat(copyOneSided.code()).isEqualTo(ExitCodes.AUTH);
            CliResult copy = run(Map.of(), "copy", "--from", url, "--to", url, "--to-database", "copy",
                    "--from-token", "s3cret", "--to-token", "s3cret", "--token-header", "X-Chroma-Token");
            assertThat(copy.code()).as(copy.err()).isZero();
            assertThat(copy.err()).contains("Copied 2 records in 1 collection(s)");
        }
    }
}
