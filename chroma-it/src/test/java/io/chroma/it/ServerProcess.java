package io.chroma.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our server as users run it: a separate JVM started through the CLI ({@code chroma run}) with the
 * project's JVM flags, on a free port ({@code --port 0}; the address is read from the CLI's
 * "Connect to Chroma at:" line), output captured in target/it-logs.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern ADDRESS = Pattern.compile("Connect to Chroma at: (\\S+)");
    private static final AtomicInteger SEQ = new AtomicInteger();
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final Path log;
    private final String url;

    private ServerProcess(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    /** Starts `chroma run --path dataDir --host 127.0.0.1 --port 0` and waits for the heartbeat. */
    static ServerProcess start(Path dataDir, Map<String, String> env) {
        Cli.Run run = Cli.launch(List.of("run", "--path", dataDir.toString(), "--host", "127.0.0.1", "--port", "0"),
                env, "server-" + SEQ.incrementAndGet());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String url = null;
        while (System.nanoTime() < deadline) {
            if (url == null) {
                Matcher m = ADDRESS.matcher(run.output());
                if (m.find()) {
                    url = m.group(1).replace("://localhost:", "://127.0.0.1:");
                }
            }
            if (url != null && Http.answers(url + "/api/v2/heartbeat")) {
                return new ServerProcess(run.process(), run.log(), url);
            }
            if (!run.process().isAlive()) {
                throw new IllegalStateException("chroma run exited with " + run.process().exitValue()
                        + " before it answered; log " + run.log() + ":\n" + run.output());
            }
            sleep(100);
        }
        run.process().destroyForcibly();
        throw new IllegalStateException("chroma run did not answer within " + START_TIMEOUT + "; log:\n" + run.output());
    }

    static ServerProcess start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    String url() {
        return url;
    }

    long pid() {
        return process.pid();
    }

    String output() {
        return read(log);
    }

    /** SIGTERM, as a service manager stops it; returns the exit code. */
    int stop() {
        process.destroy();
        return await(Duration.ofSeconds(30));
    }

    /** Sends a signal by name with kill(1) (Java can only send TERM and KILL); returns the exit code. */
    int signal(String name) {
        try {
            int rc = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (rc != 0) {
                throw new IllegalStateException("kill -" + name + " failed with " + rc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return await(Duration.ofSeconds(30));
    }

    /** SIGKILL: the process gets no chance to flush or close anything. */
    void kill() {
        process.destroyForcibly();
        await(Duration.ofSeconds(30));
    }

    private int await(Duration d) {
        try {
            if (!process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                throw new IllegalStateException("server did not stop within " + d + "; log:\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Launches the CLI as a separate JVM: the classpath Maven resolved for chroma-cli, plus our JVM flags. */
    static final class Cli {
        record Run(Process process, Path log) {
            String output() {
                return read(log);
            }

            /** Waits for the CLI to exit (for commands that do), returning its exit code. */
            int exitCode(Duration timeout) {
                try {
                    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        process.destroyForcibly();
                        throw new IllegalStateException("CLI did not exit within " + timeout + ":\n" + output());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return process.exitValue();
            }
        }

        static List<String> javaCommand() {
            String classpath = required("chroma.server.classpath");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmArgs());
            cmd.add("-Xmx512m");
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.add("io.chroma.cli.ChromaCli");
            return cmd;
        }

        static List<String> jvmArgs() {
            String args = System.getProperty("chroma.jvm.args",
                    "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED");
            return Arrays.stream(args.trim().split("\\s+")).filter(a -> !a.isEmpty()).toList();
        }

        static Run launch(List<String> args, Map<String, String> env, String name) {
            List<String> cmd = new ArrayList<>(javaCommand());
            cmd.addAll(args);
            return exec(cmd, env, name);
        }

        static Run exec(List<String> cmd, Map<String, String> env, String name) {
            Path logs = Path.of(System.getProperty("chroma.it.logs", "target/it-logs"));
            try {
                Files.createDirectories(logs);
                Path log = logs.resolve(name + "-" + ProcessHandle.current().pid() + ".log");
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
                // the environment settings under test must come only from the test
                pb.environment().remove("ALLOW_RESET");
                pb.environment().remove("CHROMA_SERVER_CORS_ALLOW_ORIGINS");
                pb.environment().putAll(env);
                return new Run(pb.start(), log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static java.io.File nullFile() {
            return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
        }

        static String required(String property) {
            String v = System.getProperty(property);
            if (v == null || v.isBlank()) {
                throw new IllegalStateException("system property " + property + " is not set: run the tests through Maven (./mvnw -pl chroma-it verify)");
            }
            return v;
        }

        private Cli() {
        }
    }
}
