package io.chroma.core.internal.index;

import io.chroma.api.Space;
import io.chroma.api.Where;
import io.chroma.api.WhereDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LuceneIndexTest {

    @TempDir
    Path tmp;

    private static LuceneIndex memory(Space space, int dim) throws IOException {
        return LuceneIndex.open(null, LuceneTestData.settings(space, dim));
    }

    private static long[] seqs(long... s) {
        return s;
    }

    @Test
    void upsertUpdateDeleteAreVisibleToTheNextRead() throws IOException {
        try (LuceneIndex idx = memory(Space.L2, 2)) {
            assertThat(idx.size()).isZero();
            assertThat(idx.committedOpSeq()).isEqualTo(-1);
            idx.upsert(0, new float[] {0, 0}, Map.of("color", "red"), "alpha");
            idx.upsert(1, new float[] {1, 0}, Map.of("color", "blue"), null);
            idx.upsert(2, new float[] {0, 1}, null, "gamma");
            assertThat(idx.size()).isEqualTo(3);
            assertThat(idx.filter(null, null)).containsExactly(0, 1, 2);
            assertThat(idx.filter(Where.eq("color", "red"), null)).containsExactly(0);

            idx.upsert(0, new float[] {5, 5}, Map.of("color", "green"), "beta"); // replaces seq 0
            assertThat(idx.size()).isEqualTo(3);
            assertThat(idx.filter(Where.eq("color", "red"), null)).isEmpty();
            assertThat(idx.filter(Where.eq("color", "green"), null)).containsExactly(0);
            assertThat(idx.filter(null, WhereDocument.contains("alpha"))).isEmpty();
            float[][] written = {{5, 5}, {1, 0}, {0, 1}};
            assertThat(LuceneTestData.nearest(idx, Space.L2, written, new float[] {5, 5}, 1, 10, null, null, null))
                    .containsExactly(0);

            idx.delete(1);
            idx.delete(7); // unknown: a no-op
            assertThat(idx.size()).isEqualTo(2);
            assertThat(idx.filter(null, null)).containsExactly(0, 2);
            assertThat(idx.search(new float[] {1, 0}, 10, 10, null, null, null)).containsExactlyInAnyOrder(0, 2);
        }
    }

    @Test
    void reclaimingSpaceKeepsTheIndexReadableWithoutARebuild() throws IOException {
        Path dir = tmp.resolve("vacuumed");
        IndexSettings s = LuceneTestData.settings(Space.L2, 2);
        try (LuceneIndex idx = LuceneIndex.open(dir, s)) {
            for (int i = 0; i < 20; i++) {
                idx.upsert(i, new float[] {i, 0}, null, null);
            }
            idx.commit(20);
            for (int i = 0; i < 20; i += 2) {
                idx.delete(i);
            }
            idx.commit(21);
            idx.reclaimSpace();
        }
        // a commit without the layout marker would be refused here (and rebuilt by the engine)
        try (LuceneIndex idx = LuceneIndex.open(dir, s)) {
            assertThat(idx.committedOpSeq()).isEqualTo(21);
            assertThat(idx.size()).isEqualTo(10);
        }
    }

    @Test
    void updatingAnOlderSeqAfterReopenDoesNotDuplicateIt() throws IOException {
        Path dir = tmp.resolve("idx");
        try (LuceneIndex idx = LuceneIndex.open(dir, LuceneTestData.settings(Space.L2, 2))) {
            idx.upsert(0, new float[] {0, 0}, Map.of("v", 1L), null);
            idx.upsert(1, new float[] {1, 1}, Map.of("v", 2L), null);
            idx.commit(5);
        }
        try (LuceneIndex idx = LuceneIndex.open(dir, LuceneTestData.settings(Space.L2, 2))) {
            idx.upsert(1, new float[] {1, 1}, Map.of("v", 3L), null);
            idx.upsert(2, new float[] {2, 2}, Map.of("v", 4L), null);
            assertThat(idx.size()).isEqualTo(3);
            assertThat(idx.filter(Where.eq("v", 2L), null)).isEmpty();
            assertThat(idx.filter(Where.eq("v", 3L), null)).containsExactly(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Space.class)
    void searchRanksLikeChromasDistance(Space space) throws IOException {
        int dim = 16;
        float[][] data = LuceneTestData.clustered(300, dim, 6, 7);
        float[][] queries = LuceneTestData.clustered(20, dim, 6, 8);
        try (LuceneIndex idx = memory(space, dim)) {
            for (int i = 0; i < data.length; i++) {
                idx.upsert(i, data[i], null, null);
            }
            for (float[] q : queries) {
                // ef >= n: the exact path; the order must be Chroma's
                long[] exact = LuceneTestData.nearest(idx, space, data, q, 10, 1000, null, null, null);
                assertThat(exact).containsExactly(asLongs(LuceneTestData.exactNearest(space, data, q, 10)));
                // approximate path, 300 records in one small graph: still the true top 3
                long[] approx = LuceneTestData.nearest(idx, space, data, q, 3, 50, null, null, null);
                assertThat(approx).containsExactly(asLongs(LuceneTestData.exactNearest(space, data, q, 3)));
            }
        }
    }

    private static long[] asLongs(int[] a) {
        return Arrays.stream(a).asLongStream().toArray();
    }

    @Test
    void aSelectiveFilterReturnsEveryMatchExactly() throws IOException {
        int dim = 8;
        float[][] data = LuceneTestData.clustered(3000, dim, 10, 11);
        try (LuceneIndex idx = memory(Space.L2, dim)) {
            for (int i = 0; i < data.length; i++) {
                // 7 records are "rare", scattered over the whole collection
                idx.upsert(i, data[i], Map.of("rare", i % 431 == 5, "n", (long) i), i % 2 == 0 ? "even" : "odd");
            }
            long[] rare = idx.filter(Where.eq("rare", true), null);
            assertThat(rare).hasSize(7);
            float[] q = data[1234];
            // k larger than the matches, and ef tiny: every match comes back, nearest first
            long[] hits = LuceneTestData.nearest(idx, Space.L2, data, q, 10, 1, Where.eq("rare", true), null, null);
            assertThat(hits).containsExactlyInAnyOrder(rare);
            assertThat(hits).containsExactly(nearestAmong(data, q, rare, 10));
            // fewer than k but more than k records qualify with the document filter added
            long[] someRare = idx.search(q, 10, 1, Where.eq("rare", true), WhereDocument.contains("odd"), null);
            assertThat(someRare).containsExactlyInAnyOrder(Arrays.stream(rare).filter(s -> s % 2 == 1).toArray());
            // k smaller than the matches: the exact top k among them
            assertThat(LuceneTestData.nearest(idx, Space.L2, data, q, 3, 1, Where.eq("rare", true), null, null))
                    .containsExactly(nearestAmong(data, q, rare, 3));
            // candidates restrict the same way
            long[] cands = {3, 17, 2999, 1500};
            assertThat(LuceneTestData.nearest(idx, Space.L2, data, q, 10, 100, null, null, cands))
                    .containsExactly(nearestAmong(data, q, cands, 10));
            assertThat(idx.search(q, 10, 100, null, null, new long[0])).isEmpty();
            assertThat(idx.search(q, 10, 100, Where.gte("n", 2990L), null, cands)).containsExactly(2999);
        }
    }

    private static long[] nearestAmong(float[][] data, float[] q, long[] seqs, int k) {
        return Arrays.stream(seqs).boxed()
                .sorted((a, b) -> Float.compare(Space.L2.distance(q, data[(int) (long) a]), Space.L2.distance(q, data[(int) (long) b])))
                .limit(k).mapToLong(Long::longValue).toArray();
    }

    @Test
    void aFilteredSearchOverManyMatchesStaysInsideTheFilter() throws IOException {
        int dim = 8;
        float[][] data = LuceneTestData.clustered(2000, dim, 10, 21);
        try (LuceneIndex idx = memory(Space.COSINE, dim)) {
            for (int i = 0; i < data.length; i++) {
                idx.upsert(i, data[i], Map.of("bucket", (long) (i % 10)), null);
            }
            long[] hits = LuceneTestData.nearest(idx, Space.COSINE, data, data[0], 10, 100, Where.eq("bucket", 3L), null, null);
            assertThat(hits).hasSize(10);
            assertThat(Arrays.stream(hits).boxed()).allMatch(s -> s % 10 == 3);
        }
    }

    @Test
    void aFilterKeepingAFewThousandRecordsIsAnsweredExactly() throws IOException {
        int dim = 16;
        float[][] data = LuceneTestData.clustered(20_000, dim, 50, 31);
        try (LuceneIndex idx = memory(Space.L2, dim)) {
            for (int i = 0; i < data.length; i++) {
                idx.upsert(i, data[i], Map.of("bucket", (long) (i % 10)), null);
            }
            // 2,000 of 20,000 match: the flat scan, not filtered HNSW, so ef 1 still gives the exact top 10
            assertThat(LuceneIndex.exactBeatsFilteredGraph(2_000, data.length)).isTrue();
            long[] bucket3 = idx.filter(Where.eq("bucket", 3L), null);
            for (int q = 0; q < 20; q++) {
                float[] query = data[q * 997];
                assertThat(LuceneTestData.nearest(idx, Space.L2, data, query, 10, 1, Where.eq("bucket", 3L), null, null))
                        .containsExactly(nearestAmong(data, query, bucket3, 10));
            }
            // n_results is the client's number: any k, up to Integer.MAX_VALUE, returns every match
            assertThat(idx.search(data[0], Integer.MAX_VALUE, 1, Where.eq("bucket", 3L), null, null))
                    .containsExactlyInAnyOrder(bucket3);
            assertThat(idx.search(data[0], Integer.MAX_VALUE, 100, null, null, null)).hasSize(data.length);
        }
    }

    @Test
    void cosineZeroVectorsAreStoredFoundAndRankedAtDistanceOne() throws IOException {
        try (LuceneIndex idx = memory(Space.COSINE, 3)) {
            idx.upsert(0, new float[] {1, 0, 0}, null, null);
            idx.upsert(1, new float[] {0, 0, 0}, Map.of("zero", true), null);
            idx.upsert(2, new float[] {-1, 0, 0}, null, null); // distance 2 from {1,0,0}
            idx.upsert(3, new float[] {0.9f, 0.1f, 0}, null, null);
            assertThat(idx.size()).isEqualTo(4);
            assertThat(idx.filter(Where.eq("zero", true), null)).containsExactly(1);
            // exact path: cos distances 0, 1 (zero), 2
            assertThat(idx.search(new float[] {2, 0, 0}, 4, 10, null, null, null)).containsExactly(0, 3, 1, 2);
            assertThat(idx.search(new float[] {1, 0, 0}, 5, 10, Where.eq("zero", true), null, null)).containsExactly(1);
            // a zero query: everything is at distance 1.0, any k of them
            assertThat(idx.search(new float[] {0, 0, 0}, 2, 10, null, null, null)).hasSize(2);
            assertThat(idx.search(new float[] {0, 0, 0}, 9, 10, null, null, null)).containsExactlyInAnyOrder(0, 1, 2, 3);
        }
    }

    @Test
    void cosineZeroVectorsMergeIntoApproximateResults() throws IOException {
        int dim = 4;
        try (LuceneIndex idx = memory(Space.COSINE, dim)) {
            // 10,000 vectors pointing away from the query (cos distance > 1) and two zero vectors
            int n = 10_000;
            for (int i = 0; i < n; i++) {
                idx.upsert(i, new float[] {-1, 0.0001f * i, 0, 0}, Map.of("odd", i % 2 == 1), null);
            }
            idx.upsert(n, new float[] {0, 0, 0, 0}, Map.of("odd", false), null);
            idx.upsert(n + 1, new float[] {0, 0, 0, 0}, Map.of("odd", true), null);
            float[][] written = new float[n + 2][];
            for (int i = 0; i < n; i++) {
                written[i] = new float[] {-1, 0.0001f * i, 0, 0};
            }
            written[n] = new float[4];
            written[n + 1] = new float[4];
            long[] hits = LuceneTestData.nearest(idx, Space.COSINE, written, new float[] {1, 0, 0, 0}, 3, 10, null, null, null);
            assertThat(hits).hasSize(3);
            assertThat(Arrays.copyOf(hits, 2)).containsExactlyInAnyOrder(n, n + 1); // 1.0 beats every distance > 1
            // filtered, still the approximate path: half the records match, too many to scan
            assertThat(LuceneIndex.exactBeatsFilteredGraph(n / 2, n)).isFalse();
            long[] odd = LuceneTestData.nearest(idx, Space.COSINE, written, new float[] {1, 0, 0, 0}, 3, 10,
                    Where.eq("odd", true), null, null);
            assertThat(odd[0]).isEqualTo(n + 1L);
            assertThat(Arrays.stream(odd).boxed()).allMatch(s -> s % 2 == 1);
        }
    }

    @Test
    void commitSurvivesReopenAndUncommittedWorkDoesNot() throws IOException {
        Path dir = tmp.resolve("c1");
        IndexSettings s = LuceneTestData.settings(Space.IP, 3);
        try (LuceneIndex idx = LuceneIndex.open(dir, s)) {
            assertThat(idx.committedOpSeq()).isEqualTo(-1);
            idx.upsert(0, new float[] {1, 0, 0}, Map.of("k", "a"), "doc zero");
            idx.upsert(1, new float[] {0, 1, 0}, Map.of("k", "b"), "doc one");
            idx.commit(42);
            assertThat(idx.committedOpSeq()).isEqualTo(42);
            idx.upsert(2, new float[] {0, 0, 1}, Map.of("k", "c"), "doc two"); // never committed
        }
        try (LuceneIndex idx = LuceneIndex.open(dir, s)) {
            assertThat(idx.committedOpSeq()).isEqualTo(42);
            assertThat(idx.size()).isEqualTo(2);
            assertThat(idx.filter(Where.eq("k", "b"), WhereDocument.contains("one"))).containsExactly(1);
            float[][] written = {{1, 0, 0}, {0, 1, 0}};
            assertThat(LuceneTestData.nearest(idx, Space.IP, written, new float[] {0, 1, 0}, 1, 10, null, null, null))
                    .containsExactly(1);
            idx.upsert(2, new float[] {0, 0, 1}, Map.of("k", "c"), "doc two");
            idx.clear();
            assertThat(idx.size()).isZero();
            assertThat(idx.committedOpSeq()).isEqualTo(42); // clear is not durable until committed
            idx.upsert(5, new float[] {0, 0, 1}, null, null);
            idx.commit(50);
        }
        try (LuceneIndex idx = LuceneIndex.open(dir, s)) {
            assertThat(idx.committedOpSeq()).isEqualTo(50);
            assertThat(idx.filter(null, null)).containsExactly(5);
        }
    }

    /** Every file of a committed index, truncated in turn, must make open fail (and release the directory). */
    @Test
    void aTruncatedFileMakesOpenThrow() throws IOException {
        int n = 200;
        Path original = tmp.resolve("orig");
        IndexSettings s = LuceneTestData.settings(Space.L2, 8);
        float[][] data = LuceneTestData.clustered(n, 8, 4, 3);
        try (LuceneIndex idx = LuceneIndex.open(original, s)) {
            for (int i = 0; i < data.length; i++) {
                idx.upsert(i, data[i], Map.of("i", (long) i, "s", "v" + i), "text " + i);
            }
            idx.commit(1);
        }
        List<String> files;
        try (Stream<Path> list = Files.list(original)) {
            files = list.map(p -> p.getFileName().toString()).filter(f -> !f.equals("write.lock")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (String file : files) {
            Path copy = tmp.resolve("broken-" + file);
            copyDir(original, copy);
            try (FileChannel ch = FileChannel.open(copy.resolve(file), StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() / 2);
            }
            assertThatThrownBy(() -> LuceneIndex.open(copy, s).close())
                    .as("truncated %s", file).isInstanceOf(IOException.class);
            // the failed open released the lock: the engine can wipe and start afresh
            deleteDir(copy);
            try (LuceneIndex fresh = LuceneIndex.open(copy, s)) {
                assertThat(fresh.size()).isZero();
                assertThat(fresh.committedOpSeq()).isEqualTo(-1);
            }
        }
    }

    @Test
    void garbageInTheSegmentsFileMakesOpenThrow() throws IOException {
        Path dir = tmp.resolve("g");
        IndexSettings s = LuceneTestData.settings(Space.L2, 2);
        try (LuceneIndex idx = LuceneIndex.open(dir, s)) {
            idx.upsert(0, new float[] {1, 2}, null, null);
            idx.commit(3);
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.filter(p -> p.getFileName().toString().startsWith("segments_")).toList()) {
                byte[] b = Files.readAllBytes(p);
                b[b.length / 2] ^= 0x55;
                Files.write(p, b);
            }
        }
        assertThatThrownBy(() -> LuceneIndex.open(dir, s).close()).isInstanceOf(IOException.class);
    }

    @Test
    void anIndexOfAnotherDimensionOrSpaceIsReportedUnreadable() throws IOException {
        Path dir = tmp.resolve("other");
        try (LuceneIndex idx = LuceneIndex.open(dir, LuceneTestData.settings(Space.L2, 2))) {
            idx.upsert(0, new float[] {1, 2}, null, null);
            idx.commit(1);
        }
        assertThatThrownBy(() -> LuceneIndex.open(dir, LuceneTestData.settings(Space.L2, 3)).close())
                .isInstanceOf(IOException.class).hasMessageContaining("2-d");
        assertThatThrownBy(() -> LuceneIndex.open(dir, LuceneTestData.settings(Space.IP, 2)).close())
                .isInstanceOf(IOException.class);
        try (LuceneIndex idx = LuceneIndex.open(dir, LuceneTestData.settings(Space.L2, 2))) {
            assertThat(idx.size()).isEqualTo(1);
        }
    }

    @Test
    void aSecondWriterOnTheSameDirectoryFailsFast() throws IOException {
        Path dir = tmp.resolve("locked");
        IndexSettings s = LuceneTestData.settings(Space.L2, 2);
        try (LuceneIndex idx = LuceneIndex.open(dir, s)) {
            assertThatThrownBy(() -> LuceneIndex.open(dir, s).close()).isInstanceOf(IOException.class);
            idx.upsert(0, new float[] {1, 2}, null, null);
            assertThat(idx.size()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1536, 3072, 4096})
    void highDimensionalVectorsIndexAndReopen(int dim) throws IOException {
        Path dir = tmp.resolve("hd" + dim);
        IndexSettings s = LuceneTestData.settings(Space.COSINE, dim);
        float[][] data = LuceneTestData.clustered(40, dim, 4, dim);
        try (LuceneIndex idx = LuceneIndex.open(dir, s)) {
            for (int i = 0; i < 30; i++) {
                idx.upsert(i, data[i], null, null);
            }
            assertThat(LuceneTestData.nearest(idx, Space.COSINE, data, data[7], 1, 100, null, null, null)).containsExactly(7);
            idx.commit(30);
        }
        try (LuceneIndex idx = LuceneIndex.open(dir, s)) {
            assertThat(idx.size()).isEqualTo(30);
            for (int i = 30; i < 40; i++) {
                idx.upsert(i, data[i], null, null); // a second segment written after reopen
            }
            assertThat(LuceneTestData.nearest(idx, Space.COSINE, data, data[35], 1, 100, null, null, null)).containsExactly(35);
            assertThat(LuceneTestData.nearest(idx, Space.COSINE, data, data[3], 1, 1, null, null, null)).containsExactly(3);
            idx.commit(40);
        }
        try (LuceneIndex idx = LuceneIndex.open(dir, s)) {
            assertThat(idx.size()).isEqualTo(40);
        }
    }

    @Test
    void wrongDimensionsAreRejected() throws IOException {
        try (LuceneIndex idx = memory(Space.L2, 3)) {
            assertThatThrownBy(() -> idx.upsert(0, new float[] {1, 2}, null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension");
            assertThatThrownBy(() -> idx.search(new float[] {1, 2}, 1, 10, null, null, null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(idx.size()).isZero();
        }
        assertThatThrownBy(() -> LuceneIndex.open(null, LuceneTestData.settings(Space.L2, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hugeDocumentsAndStringsAreFilterable() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append("word").append(i).append(' ');
        }
        String big = sb.toString();
        String bigValue = "x".repeat(40_000);
        try (LuceneIndex idx = memory(Space.L2, 1)) {
            idx.upsert(0, new float[] {1}, Map.of("big", bigValue), big);
            idx.upsert(1, new float[] {2}, Map.of("big", bigValue + "y"), "small");
            assertThat(idx.filter(null, WhereDocument.contains("word19999 "))).containsExactly(0);
            assertThat(idx.filter(null, WhereDocument.contains("word20000"))).isEmpty();
            assertThat(idx.filter(Where.eq("big", bigValue), null)).containsExactly(0);
            assertThat(idx.filter(Where.ne("big", bigValue), null)).containsExactly(1);
        }
    }

    @Test
    void documentsWithLoneSurrogatesRoundTripExactly() throws IOException {
        try (LuceneIndex idx = memory(Space.L2, 1)) {
            idx.upsert(0, new float[] {1}, Map.of("s", "a\uD800b"), "x\uD800yz");
            idx.upsert(1, new float[] {1}, Map.of("s", "a\uFFFDb"), "x\uFFFDyz");
            assertThat(idx.filter(null, WhereDocument.contains("\uD800yz"))).containsExactly(0);
            assertThat(idx.filter(null, WhereDocument.contains("\uFFFDy"))).containsExactly(1);
            assertThat(idx.filter(Where.eq("s", "a\uD800b"), null)).containsExactly(0);
            assertThat(idx.filter(Where.eq("s", "a\uFFFDb"), null)).containsExactly(1);
        }
    }

    @Test
    void readersRunConcurrentlyWithAWriter() throws Exception {
        int dim = 8;
        float[][] data = LuceneTestData.clustered(3000, dim, 8, 5);
        try (LuceneIndex idx = memory(Space.L2, dim)) {
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<Integer>> readers = new ArrayList<>();
                for (int r = 0; r < 3; r++) {
                    readers.add(pool.submit(() -> {
                        int reads = 0;
                        int lastSize = 0;
                        while (!done.get()) {
                            int size = idx.size();
                            assertThat(size).isGreaterThanOrEqualTo(lastSize); // never goes back in time
                            lastSize = size;
                            long[] hits = idx.search(data[reads % data.length], 5, 20, Where.gte("i", 10L), null, null);
                            assertThat(Arrays.stream(hits).boxed()).allMatch(s -> s >= 10);
                            reads++;
                        }
                        return reads;
                    }));
                }
                for (int i = 0; i < data.length; i++) {
                    idx.upsert(i, data[i], Map.of("i", (long) i), null);
                    if (i % 500 == 0) {
                        // a read right after a write sees it
                        assertThat(idx.filter(Where.eq("i", (long) i), null)).containsExactly(i);
                    }
                }
                done.set(true);
                for (Future<Integer> f : readers) {
                    assertThat(f.get()).isPositive();
                }
            } finally {
                done.set(true);
                pool.shutdownNow();
            }
            assertThat(idx.size()).isEqualTo(data.length);
        }
    }

    @Test
    void filterResultsAreAscendingAcrossSegments() throws IOException {
        try (LuceneIndex idx = memory(Space.L2, 1)) {
            // interleave writes and reads so several segments exist, with updates moving old seqs
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 20; i++) {
                    idx.upsert(round * 20L + i, new float[] {i}, Map.of("r", (long) round), null);
                }
                idx.upsert(round, new float[] {0}, Map.of("r", 99L), null);
                idx.size();
            }
            long[] all = idx.filter(null, null);
            assertThat(all).containsExactly(LongStream.range(0, 100).toArray());
            assertThat(idx.filter(Where.eq("r", 99L), null)).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void luceneCodecNameIsUnchangedSoTheIndexIsPortable() throws IOException {
        // The format lifts the dimension cap without a name of its own (nothing to register).
        LuceneHighDimensionFormat f = new LuceneHighDimensionFormat(16, 100);
        assertThat(f.getName()).isEqualTo("Lucene99HnswVectorsFormat");
        assertThat(f.getMaxDimensions("vec")).isGreaterThanOrEqualTo(4096);
        Set<String> names = new HashSet<>(org.apache.lucene.codecs.KnnVectorsFormat.availableKnnVectorsFormats());
        assertThat(names).contains(f.getName());
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> list = Files.list(from)) {
            for (Path p : list.collect(Collectors.toList())) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    private static void deleteDir(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Test
    void theIndexingBufferGrowsWithTheDimensionWithinTheHeap() {
        // 100k records (the engine's commit interval) in one segment: 256 MB at 384-d, 1 GB at 1536-d
        double heapSixth = (Runtime.getRuntime().maxMemory() >> 20) / 6.0;
        assertThat(LuceneIndex.ramBufferMb(384)).isEqualTo(Math.max(16, Math.min(256, (long) heapSixth)));
        assertThat(LuceneIndex.ramBufferMb(1536)).isEqualTo(Math.max(16, Math.min(1024, (long) heapSixth)));
        assertThat(LuceneIndex.ramBufferMb(3)).isEqualTo(LuceneIndex.ramBufferMb(384));
        assertThat(LuceneIndex.ramBufferMb(65_536)).isLessThanOrEqualTo(Math.max(16, heapSixth));
    }
}
