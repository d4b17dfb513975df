package io.chroma.core.internal.index;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsFormat;
import org.apache.lucene.codecs.hnsw.FlatVectorsReader;
import org.apache.lucene.codecs.hnsw.FlatVectorsWriter;
import org.apache.lucene.codecs.lucene104.Lucene104ScalarQuantizedVectorScorer;
import org.apache.lucene.codecs.lucene104.Lucene104ScalarQuantizedVectorsReader;
import org.apache.lucene.codecs.lucene104.Lucene104ScalarQuantizedVectorsWriter;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsReader;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsWriter;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

import java.io.IOException;
import java.util.concurrent.ExecutorService;

/**
 * Lucene's HNSW graph over 8-bit scalar-quantized vectors only (Lucene's optimized scalar
 * quantization, {@code Lucene104ScalarQuantizedVectorsFormat}, without its float32 copy).
 *
 * <p>The store keeps every record's float32 vector and is the source of truth; this index only has
 * to find candidates. Stock Lucene keeps a float32 copy beside the quantized one (for merging and
 * rescoring), which doubled the vectors on disk (the data directory was 1.4× real Chroma's) and in
 * memory-mapped pages. Here the index holds one byte per dimension plus 16 bytes per vector; the
 * engine asks it for more candidates than it returns and ranks them by the exact distance to the
 * stored vectors. Merges re-quantize the dequantized values, and the index can always be rebuilt
 * from the store.
 *
 * <p>Segments name this format, so reading needs its SPI registration (the public no-argument
 * constructor); the configured constructor is for writing.
 */
public final class QuantizedHnswVectorsFormat extends KnnVectorsFormat {

    /** The name segments record; must never change, or written indexes stop opening (they would be rebuilt). */
    public static final String NAME = "ChromaHnswInt8";

    private static final Lucene104ScalarQuantizedVectorScorer SCORER =
            new InPlaceQuantizedVectorScorer(FlatVectorScorerUtil.getLucene99FlatVectorsScorer());

    private static final FlatVectorsFormat FLAT = new QuantizedFlatFormat();

    private final int maxConn;
    private final int beamWidth;
    private final int mergeWorkers;
    private final ExecutorService pool;
    private final int graphWorkers;
    private final int segmentCapacity;

    /** For reading (SPI): the graph parameters are in the segments. */
    public QuantizedHnswVectorsFormat() {
        this(16, 100, 1, null, 1, 0);
    }

    /** As {@link LuceneHighDimensionFormat}'s constructor of the same shape. */
    QuantizedHnswVectorsFormat(int maxConn, int beamWidth, int mergeWorkers, ExecutorService pool, int graphWorkers,
                               int segmentCapacity) {
        super(NAME);
        this.maxConn = maxConn;
        this.beamWidth = beamWidth;
        this.mergeWorkers = pool == null ? 1 : Math.max(1, mergeWorkers);
        this.pool = pool;
        this.graphWorkers = ConcurrentGraphFlushWriter.workersFor(graphWorkers, pool, segmentCapacity);
        this.segmentCapacity = segmentCapacity;
    }

    private KnnVectorsWriter hnswWriter(SegmentWriteState state) throws IOException {
        return new Lucene99HnswVectorsWriter(state, maxConn, beamWidth, FLAT, FLAT.fieldsWriter(state), mergeWorkers,
                mergeWorkers > 1 ? new TaskExecutor(pool) : null);
    }

    @Override
    public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
        return ConcurrentGraphFlushWriter.forSegment(this::hnswWriter, state, maxConn, beamWidth, graphWorkers,
                segmentCapacity, pool);
    }

    @Override
    public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
        return new Lucene99HnswVectorsReader(state, FLAT.fieldsReader(state));
    }

    @Override
    public int getMaxDimensions(String fieldName) {
        return LuceneHighDimensionFormat.MAX_DIMENSIONS;
    }

    @Override
    public String toString() {
        return NAME + "(maxConn=" + maxConn + ", beamWidth=" + beamWidth + ", graphWorkers=" + graphWorkers + ")";
    }

    /** 8-bit quantized vectors over {@link DiscardedRawVectorsFormat}. */
    private static final class QuantizedFlatFormat extends FlatVectorsFormat {
        private static final DiscardedRawVectorsFormat RAW = new DiscardedRawVectorsFormat();

        QuantizedFlatFormat() {
            super("ChromaInt8FlatVectors");
        }

        @Override
        public FlatVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
            return new Lucene104ScalarQuantizedVectorsWriter(state, ScalarEncoding.UNSIGNED_BYTE, RAW.fieldsWriter(state),
                    SCORER);
        }

        @Override
        public FlatVectorsReader fieldsReader(SegmentReadState state) throws IOException {
            return new Lucene104ScalarQuantizedVectorsReader(state, RAW.fieldsReader(state), SCORER);
        }

        @Override
        public int getMaxDimensions(String fieldName) {
            return LuceneHighDimensionFormat.MAX_DIMENSIONS;
        }
    }
}
