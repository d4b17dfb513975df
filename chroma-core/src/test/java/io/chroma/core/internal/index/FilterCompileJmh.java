package io.chroma.core.internal.index;

import io.chroma.api.Where;
import io.chroma.api.WhereDocument;
import org.apache.lucene.search.Query;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Filter compilation: a where / where_document already parsed from JSON (as the server hands it
 * over) turned into a Lucene query, and the parse itself. Runs once per query, before any search.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FilterCompileJmh {

    Object typicalJson;
    Object in1000Json;
    Where typical;
    Where in1000;
    WhereDocument contains;

    @Setup
    public void setup() {
        // the shape the server's JSON reader produces: maps, lists, boxed numbers
        typicalJson = Map.of("$and", List.of(
                Map.of("sel10", Map.of("$eq", 3)),
                Map.of("score", Map.of("$lt", 0.5)),
                Map.of("$or", List.of(
                        Map.of("name", Map.of("$in", List.of("a", "b", "c"))),
                        Map.of("tags", Map.of("$contains", "x"))))));
        List<Integer> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(i * 7);
        }
        in1000Json = Map.of("bucket", Map.of("$in", many));
        typical = Where.parse(typicalJson);
        in1000 = Where.parse(in1000Json);
        contains = WhereDocument.parse(Map.of("$contains", "cluster"));
    }

    @Benchmark
    public Where parseTypical() {
        return Where.parse(typicalJson);
    }

    @Benchmark
    public Query compileTypical() {
        return LuceneFilterCompiler.compile(typical, contains, null);
    }

    @Benchmark
    public Query compileIn1000() {
        return LuceneFilterCompiler.compile(in1000, null, null);
    }
}
