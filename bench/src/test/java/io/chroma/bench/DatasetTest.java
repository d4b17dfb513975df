package io.chroma.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetTest {

    @Test
    void sameSeedSameData() {
        Dataset a = Dataset.clustered(500, 16, 20, 10, 7);
        Dataset b = Dataset.clustered(500, 16, 20, 10, 7);
        assertThat(a.vectors()).containsExactly(b.vectors());
        assertThat(a.queries()).containsExactly(b.queries());
        assertThat(Dataset.clustered(500, 16, 20, 10, 8).vectors()).isNotEqualTo(a.vectors());
    }

    @Test
    void rowsDoNotDependOnN() {
        // row i is a function of (seed, i): a bigger run starts with the smaller run's data
        Dataset small = Dataset.clustered(100, 8, 5, 3, 1);
        Dataset big = Dataset.clustered(300, 8, 5, 3, 1);
        assertThat(big.vector(99)).containsExactly(small.vector(99));
        assertThat(big.query(2)).containsExactly(small.query(2));
    }

    @Test
    void clusteredDataHasNeighbourhoods() {
        // the point of clusters: a record's nearest neighbour is far closer than a typical record
        Dataset ds = Dataset.clustered(2000, 64, 50, 1, 3);
        double nearest = 0;
        double typical = 0;
        int samples = 100;
        for (int s = 0; s < samples; s++) {
            int i = s * 17;
            double best = Double.MAX_VALUE;
            for (int j = 0; j < ds.n(); j++) {
                if (j != i) {
                    best = Math.min(best, dist(ds.vector(i), ds.vector(j)));
                }
            }
            nearest += best;
            typical += dist(ds.vector(i), ds.vector((i + 1000) % ds.n()));
        }
        assertThat(nearest / samples).isLessThan(0.5 * typical / samples);
    }

    @Test
    void queriesAreNotStoredVectors() {
        Dataset ds = Dataset.clustered(200, 8, 10, 20, 5);
        for (int q = 0; q < ds.queryCount(); q++) {
            for (int i = 0; i < ds.n(); i++) {
                assertThat(dist(ds.query(q), ds.vector(i))).isGreaterThan(0);
            }
        }
    }

    @Test
    void readsLittleEndianFloatsWithHeldOutQueries(@TempDir Path dir) throws IOException {
        Path f = write(dir.resolve("v.f32"), 5, 2); // rows r = (r, r + 0.5)
        Dataset ds = Dataset.fromFile(f, 3, 2, 2, 0);
        assertThat(ds.vector(2)).containsExactly(2f, 2.5f);
        assertThat(ds.query(0)).containsExactly(3f, 3.5f);
        assertThat(ds.query(1)).containsExactly(4f, 4.5f);
    }

    @Test
    void perturbsStoredRowsWhenTheFileHasNoSpareRows(@TempDir Path dir) throws IOException {
        Path f = write(dir.resolve("v.f32"), 4, 2);
        Dataset ds = Dataset.fromFile(f, 4, 2, 3, 0);
        for (int q = 0; q < 3; q++) {
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 4; i++) {
                best = Math.min(best, dist(ds.query(q), ds.vector(i)));
            }
            assertThat(best).isGreaterThan(0).isLessThan(0.5);
        }
    }

    @Test
    void rejectsFilesThatDoNotFit(@TempDir Path dir) throws IOException {
        Path f = write(dir.resolve("v.f32"), 4, 3);
        assertThatThrownBy(() -> Dataset.fromFile(f, 4, 5, 1, 0)).hasMessageContaining("not a multiple");
        assertThatThrownBy(() -> Dataset.fromFile(f, 5, 3, 1, 0)).hasMessageContaining("fewer than --n 5");
    }

    private static Path write(Path f, int rows, int dim) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(rows * dim * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < dim; d++) {
                b.putFloat(r + 0.5f * d);
            }
        }
        return Files.write(f, b.array());
    }

    private static double dist(float[] a, float[] b) {
        double s = 0;
        for (int d = 0; d < a.length; d++) {
            s += (a[d] - b[d]) * (double) (a[d] - b[d]);
        }
        return s;
    }
}
