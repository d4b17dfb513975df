package io.chroma.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client must stay thin. Reads the runtime dependency list the build writes
 * ({@code target/runtime-classpath.txt}, maven-dependency-plugin) and checks that no engine, model
 * or server library is in it (the enforcer rule in the pom checks the same by coordinates) and that
 * the client plus its runtime dependencies fit in 5 MB.
 */
class RuntimeFootprintTest {
    private static final long BUDGET = 5_000_000L;
    private static final List<String> BANNED = List.of("lucene", "rocksdb", "onnxruntime", "micronaut", "netty",
            "djl", "langchain4j", "chroma-core", "chroma-server", "chroma-embeddings");

    private static List<Path> runtimeJars() throws IOException {
        String cp = Files.readString(Path.of("target", "runtime-classpath.txt")).strip();
        return Arrays.stream(cp.split(java.io.File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    @Test
    void noEngineModelOrServerLibraries() throws IOException {
        List<Path> jars = runtimeJars();
        assertThat(jars).extracting(p -> p.getFileName().toString())
                .anyMatch(n -> n.startsWith("okhttp-jvm"))
                .noneMatch(n -> BANNED.stream().anyMatch(b -> n.toLowerCase(Locale.ROOT).contains(b)));
    }

    @Test
    void clientAndRuntimeDependenciesFitTheBudget() throws IOException {
        long deps = 0;
        for (Path p : runtimeJars()) {
            deps += Files.size(p);
        }
        // the jar is not built yet in the test phase; the uncompressed classes are an upper bound for it
        long own;
        try (Stream<Path> files = Files.walk(Path.of("target", "classes"))) {
            own = files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
        System.out.printf("chroma-client runtime: own classes %,d bytes + dependencies %,d bytes = %,d bytes%n",
                own, deps, own + deps);
        assertThat(own + deps).isLessThanOrEqualTo(BUDGET);
    }
}
