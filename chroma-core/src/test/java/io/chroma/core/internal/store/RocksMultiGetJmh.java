package io.chroma.core.internal.store;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Reading records by key, as a query does for its k hits and a get by ids does: one
 * {@link KvStore#multiGet} against the same keys fetched one {@link KvStore#get} at a time. Values
 * are the size of a stored 384-d record with metadata and a short document (~1.7 KB).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class RocksMultiGetJmh {

    static final int RECORDS = 100_000;

    @Param({"10", "100"})
    int keys;

    Path dir;
    RocksKvStore store;
    SplittableRandom random;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        dir = Files.createTempDirectory("multiget-jmh");
        store = RocksKvStore.open(dir);
        byte[] value = new byte[1700];
        new SplittableRandom(1).nextBytes(value);
        for (int b = 0; b < RECORDS; b += 1000) {
            try (KvStore.Batch batch = store.batch()) {
                for (int i = b; i < b + 1000; i++) {
                    batch.put(KvStore.Cf.RECORDS, key(i), value);
                }
                batch.commit();
            }
        }
        random = new SplittableRandom(2);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static byte[] key(int i) {
        return ByteBuffer.allocate(16).putLong(1).putLong(i).array();
    }

    private List<byte[]> randomKeys() {
        List<byte[]> out = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) {
            out.add(key(random.nextInt(RECORDS)));
        }
        return out;
    }

    @Benchmark
    public List<byte[]> multiGet() {
        return store.multiGet(KvStore.Cf.RECORDS, randomKeys());
    }

    @Benchmark
    public int getOneByOne() {
        int found = 0;
        for (byte[] k : randomKeys()) {
            if (store.get(KvStore.Cf.RECORDS, k) != null) {
                found++;
            }
        }
        return found;
    }
}
