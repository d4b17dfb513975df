package io.chroma.core.internal.index;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

import java.io.IOException;

/**
 * Lucene's HNSW vector format with the 1024-dimension cap lifted.
 *
 * <p>Lucene refuses vectors wider than {@link KnnVectorsFormat#DEFAULT_MAX_DIMENSIONS} at indexing
 * time only, by asking the writer's codec for {@link #getMaxDimensions}. The on-disk format has no
 * such limit. This class delegates every read and write to {@link Lucene99HnswVectorsFormat} and
 * keeps its SPI name, so the segments it writes name the stock format: an index written here opens
 * with Lucene's default codec and needs no service registration of its own.
 */
final class LuceneHighDimensionFormat extends KnnVectorsFormat {

    /** Widest vector accepted. Chroma has no cap; this is far above any embedding model in use. */
    static final int MAX_DIMENSIONS = 65_536;

    private static final String STOCK_NAME = "Lucene99HnswVectorsFormat";

    private final Lucene99HnswVectorsFormat delegate;
    private final int maxConn;
    private final int beamWidth;
    private final int graphWorkers;
    private final int segmentCapacity;
    private final java.util.concurrent.ExecutorService pool;

    LuceneHighDimensionFormat(int maxConn, int beamWidth) {
        this(maxConn, beamWidth, 1, null);
    }

    LuceneHighDimensionFormat(int maxConn, int beamWidth, int mergeWorkers, java.util.concurrent.ExecutorService mergeExec) {
        this(maxConn, beamWidth, mergeWorkers, mergeExec, 1, 0);
    }

    /**
     * With {@code mergeWorkers} threads of {@code mergeExec} rebuilding graphs when segments merge,
     * and, when {@code graphWorkers > 1}, that many of its threads building each new segment's graph
     * while documents are added ({@link ConcurrentGraphFlushWriter}; the index writer must flush
     * segments before they hold {@code segmentCapacity} documents).
     */
    LuceneHighDimensionFormat(int maxConn, int beamWidth, int mergeWorkers, java.util.concurrent.ExecutorService mergeExec,
                              int graphWorkers, int segmentCapacity) {
        super(STOCK_NAME);
        this.maxConn = maxConn;
        this.beamWidth = beamWidth;
        this.graphWorkers = ConcurrentGraphFlushWriter.workersFor(graphWorkers, mergeExec, segmentCapacity);
        this.segmentCapacity = segmentCapacity;
        this.pool = mergeExec;
        this.delegate = mergeWorkers > 1 && mergeExec != null
                ? new Lucene99HnswVectorsFormat(maxConn, beamWidth, mergeWorkers, mergeExec)
                : new Lucene99HnswVectorsFormat(maxConn, beamWidth);
        if (!delegate.getName().equals(STOCK_NAME)) {
            // A Lucene upgrade renamed the format: fail loudly rather than write unreadable segments.
            throw new IllegalStateException("Lucene's HNSW format is now named " + delegate.getName());
        }
    }

    @Override
    public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
        return ConcurrentGraphFlushWriter.forSegment(delegate::fieldsWriter, state, maxConn, beamWidth, graphWorkers,
                segmentCapacity, pool);
    }

    @Override
    public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
        return delegate.fieldsReader(state);
    }

    @Override
    public int getMaxDimensions(String fieldName) {
        return MAX_DIMENSIONS;
    }

    @Override
    public String toString() {
        return "LuceneHighDimensionFormat(maxConn=" + maxConn + ", beamWidth=" + beamWidth + ", graphWorkers=" + graphWorkers
                + ", maxDimensions=" + MAX_DIMENSIONS + ")";
    }
}
