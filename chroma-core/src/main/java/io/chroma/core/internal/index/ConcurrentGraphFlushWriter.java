package io.chroma.core.internal.index;

import org.apache.lucene.codecs.KnnFieldVectorsWriter;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.index.ByteVectorValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.MergeState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.index.Sorter;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.util.IOFunction;
import org.apache.lucene.util.RamUsageEstimator;
import org.apache.lucene.util.hnsw.ChromaConcurrentGraph;
import org.apache.lucene.util.hnsw.HnswBuilder;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Builds a new segment's HNSW graph on several threads while its documents are being indexed.
 *
 * <p>Lucene's own flush-time writer inserts each vector into the graph on the thread that adds the
 * document, so a bulk load uses one core however many there are (83 % of ingest time was that
 * insertion; bench/results/ingest-experiments-2026-12-05.md). Indexing on several threads instead
 * gives one segment per thread, and every query then searches each of them. Here the indexing
 * thread only stores the vector; up to {@code workers} pool threads insert stored vectors into one
 * shared graph, with the locking Lucene's concurrent merge uses. At flush the writer waits for the
 * graph to catch up, then hands vectors and graph to Lucene's HNSW writer as a one-segment merge
 * whose input already has a graph: Lucene copies that graph instead of building one, and writes
 * the segment in its standard format, so reading needs nothing of ours.
 *
 * <p>The graph cannot grow under concurrent inserts, so it is sized for {@code capacity} vectors:
 * the index writer flushes a segment before it holds more documents than that.
 */
final class ConcurrentGraphFlushWriter extends KnnVectorsWriter {

    private static final long SEED = HnswGraphBuilder.randSeed;

    /** Vectors a segment takes on the indexing thread before the graph goes to the workers. */
    static final int SERIAL_VECTORS = 4096;

    /** Vectors stored but not yet in the graph beyond which adding waits (~0.5 s of inserts on 2 cores). */
    static final int MAX_BACKLOG = Math.max(1, Integer.getInteger("chroma.index.graphBacklog", 4096));

    private final IOFunction<SegmentWriteState, KnnVectorsWriter> lucene;
    private final SegmentWriteState state;
    /** Lucene's writer, opened at flush: it needs the segment's field infos, which the flush state has only then. */
    private KnnVectorsWriter delegate;
    private final int maxConn;
    private final int beamWidth;
    private final int workers;
    private final int capacity;
    private final ExecutorService pool;
    private final Map<String, FieldWriter> fields = new LinkedHashMap<>();
    private boolean finished;

    /**
     * Graph workers a vectors format configured with {@code graphWorkers} uses: 1 (Lucene's own
     * build) without a pool to run them on or a segment capacity to size the graph for.
     */
    static int workersFor(int graphWorkers, ExecutorService pool, int capacity) {
        return pool == null || capacity <= 0 ? 1 : graphWorkers;
    }

    /**
     * The writer of a new segment for a vectors format built on {@code lucene} (Lucene's HNSW writer
     * for a segment state): this one when a flushed segment's graph is built by more than one worker,
     * else Lucene's (a merge builds its graph with Lucene's own merge workers).
     */
    static KnnVectorsWriter forSegment(IOFunction<SegmentWriteState, KnnVectorsWriter> lucene, SegmentWriteState state,
                                       int maxConn, int beamWidth, int workers, int capacity, ExecutorService pool)
            throws IOException {
        if (workers > 1 && state.context.context() != IOContext.Context.MERGE) {
            return new ConcurrentGraphFlushWriter(lucene, state, maxConn, beamWidth, workers, capacity, pool);
        }
        return lucene.apply(state);
    }

    ConcurrentGraphFlushWriter(IOFunction<SegmentWriteState, KnnVectorsWriter> lucene, SegmentWriteState state, int maxConn, int beamWidth,
                               int workers, int capacity, ExecutorService pool) {
        this.lucene = lucene;
        this.state = state;
        this.maxConn = maxConn;
        this.beamWidth = beamWidth;
        this.workers = workers;
        this.capacity = capacity;
        this.pool = pool;
    }

    @Override
    public KnnFieldVectorsWriter<?> addField(FieldInfo fieldInfo) throws IOException {
        if (fieldInfo.getVectorEncoding() != VectorEncoding.FLOAT32) {
            throw new IllegalArgumentException("only float vectors are indexed, not " + fieldInfo.getVectorEncoding());
        }
        FieldWriter w = new FieldWriter(fieldInfo);
        fields.put(fieldInfo.name, w);
        return w;
    }

    @Override
    public void flush(int maxDoc, Sorter.DocMap sortMap) throws IOException {
        if (sortMap != null) {
            throw new IllegalStateException("index sorting is not used by Chroma's index");
        }
        if (fields.isEmpty()) {
            delegate = lucene.apply(state);
            delegate.flush(maxDoc, null);
            return;
        }
        for (FieldWriter w : fields.values()) {
            w.awaitGraph();
        }
        FieldInfo[] infos = new FieldInfo[fields.size()];
        int i = 0;
        for (FieldWriter w : fields.values()) {
            infos[i++] = w.fieldInfo;
        }
        FieldInfos fieldInfos = new FieldInfos(infos);
        delegate = lucene.apply(new SegmentWriteState(state.infoStream, state.directory, state.segmentInfo, fieldInfos,
                state.segUpdates, state.context, state.segmentSuffix));
        KnnVectorsReader buffered = new BufferedReader(fields);
        MergeState merge = new MergeState(new MergeState.DocMap[] {doc -> doc}, state.segmentInfo, fieldInfos,
                new org.apache.lucene.codecs.StoredFieldsReader[1], new org.apache.lucene.codecs.TermVectorsReader[1],
                new org.apache.lucene.codecs.NormsProducer[1], new org.apache.lucene.codecs.DocValuesProducer[1],
                new FieldInfos[] {fieldInfos}, new org.apache.lucene.util.Bits[1],
                new org.apache.lucene.codecs.FieldsProducer[1], new org.apache.lucene.codecs.PointsReader[1],
                new KnnVectorsReader[] {buffered}, new int[] {maxDoc}, state.infoStream, null, false, null);
        delegate.merge(merge); // writes vectors and the already-built graphs, and finishes the delegate
        finished = true;
    }

    @Override
    public void finish() throws IOException {
        if (!finished) {
            finished = true;
            if (delegate == null) {
                delegate = lucene.apply(state);
            }
            delegate.finish();
        }
    }

    @Override
    public long ramBytesUsed() {
        long total = delegate == null ? 0 : delegate.ramBytesUsed();
        for (FieldWriter w : fields.values()) {
            total += w.ramBytesUsed();
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        for (FieldWriter w : fields.values()) {
            w.abandon();
        }
        if (delegate != null) {
            delegate.close();
        }
    }

    /**
     * Stores one field's vectors and builds their graph. The first {@link #SERIAL_VECTORS} go into
     * a growable graph on the indexing thread, as Lucene does, so a small segment allocates nothing
     * for a capacity it will not use; past that the graph is copied into one of full capacity, and
     * up to {@code workers} pool threads insert the rest. Vectors are published by
     * {@link #published} (written after the vector) and claimed through {@link #next}; a node's
     * neighbours were all published before it was inserted.
     */
    private final class FieldWriter extends KnnFieldVectorsWriter<float[]> {
        final FieldInfo fieldInfo;
        /** Until {@link #SERIAL_VECTORS} vectors: Lucene's single-thread builder; null after. */
        HnswGraphBuilder serial;
        /** After {@link #SERIAL_VECTORS} vectors: the shared graph; null before. */
        volatile ChromaConcurrentGraph graph;
        /** Replaced (grown) only before workers exist; read by them afterwards. */
        volatile float[][] vectors = new float[64][];
        int[] docs = new int[64];
        final Values values;
        final RandomVectorScorerSupplier scorers;
        final BlockingQueue<HnswBuilder> idleBuilders;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger active = new AtomicInteger();
        volatile int published;
        volatile Throwable failure;
        volatile boolean abandoned;

        FieldWriter(FieldInfo fieldInfo) throws IOException {
            this.fieldInfo = fieldInfo;
            this.values = new Values(this, fieldInfo.getVectorDimension());
            this.scorers = FlatVectorScorerUtil.getLucene99FlatVectorsScorer()
                    .getRandomVectorScorerSupplier(fieldInfo.getVectorSimilarityFunction(), values);
            this.idleBuilders = new ArrayBlockingQueue<>(workers);
            this.serial = HnswGraphBuilder.create(scorers, maxConn, beamWidth, SEED);
        }

        /** The graph as built so far; all published vectors must be in it. */
        HnswGraph builtGraph() {
            return serial != null ? serial.getGraph() : graph.completed();
        }

        @Override
        public void addValue(int docID, float[] vector) throws IOException {
            int ord = published;
            if (ord == capacity) {
                // The index writer flushes by document count before this can happen.
                throw new IllegalStateException("segment holds more than " + capacity + " vectors");
            }
            if (ord == vectors.length) { // only while serial: the concurrent phase holds full capacity
                vectors = java.util.Arrays.copyOf(vectors, ord * 2);
                docs = java.util.Arrays.copyOf(docs, ord * 2);
            }
            docs[ord] = docID;
            vectors[ord] = copyValue(vector);
            published = ord + 1; // volatile write: the vector is visible to whoever claims it
            if (serial != null) {
                serial.addGraphNode(ord);
                done.set(ord + 1);
                if (ord + 1 == SERIAL_VECTORS && workers > 1) {
                    goConcurrent(ord + 1);
                }
                return;
            }
            startWorkerIfIdle();
            // Back-pressure: the indexing thread waits while the graph lags far behind, so writes
            // are acknowledged at the pace the graph is built and the next read's flush finishes
            // what is left in well under a second, instead of a whole bulk load's worth.
            while (ord + 1 - done.get() > MAX_BACKLOG && failure == null && !abandoned) {
                startWorkerIfIdle();
                LockSupport.parkNanos(100_000);
            }
        }

        /** Copies the serial graph into one of full capacity; workers take over from here. */
        private void goConcurrent(int count) throws IOException {
            vectors = java.util.Arrays.copyOf(vectors, capacity);
            docs = java.util.Arrays.copyOf(docs, capacity);
            graph = ChromaConcurrentGraph.startingFrom(serial.getGraph(), count, maxConn, beamWidth, capacity, scorers);
            serial = null;
            next.set(count);
        }

        @Override
        public float[] copyValue(float[] vector) {
            return vector.clone();
        }

        private void startWorkerIfIdle() {
            for (int a = active.get(); a < workers; a = active.get()) {
                if (active.compareAndSet(a, a + 1)) {
                    try {
                        pool.execute(this::work);
                    } catch (RuntimeException e) {
                        active.decrementAndGet();
                        throw e;
                    }
                    return;
                }
            }
        }

        /** Inserts claimed vectors until none is left, then retires (unless one arrived meanwhile). */
        private void work() {
            HnswBuilder builder = null;
            try {
                builder = idleBuilders.poll();
                if (builder == null) {
                    builder = graph.newBuilder(scorers, SEED);
                }
                while (true) {
                    int ord = next.get();
                    if (abandoned || failure != null) {
                        break;
                    }
                    if (ord >= published) {
                        active.decrementAndGet();
                        // A vector published after the check above, while this worker still counted
                        // as active, started no new worker: take it on unless others have.
                        if (next.get() < published && rejoin()) {
                            continue;
                        }
                        return;
                    }
                    if (next.compareAndSet(ord, ord + 1)) {
                        ChromaConcurrentGraph.add(builder, ord);
                        done.incrementAndGet();
                    }
                }
                active.decrementAndGet();
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
                active.decrementAndGet();
            } finally {
                if (builder != null) {
                    idleBuilders.offer(builder);
                }
            }
        }

        private boolean rejoin() {
            for (int a = active.get(); a < workers; a = active.get()) {
                if (active.compareAndSet(a, a + 1)) {
                    return true;
                }
            }
            return false;
        }

        /** Waits until every published vector is in the graph. */
        void awaitGraph() throws IOException {
            int target = published;
            while (done.get() < target) {
                Throwable t = failure;
                if (t != null) {
                    throw new IOException("building the HNSW graph failed: " + t, t);
                }
                startWorkerIfIdle(); // no-op unless every worker retired early
                LockSupport.parkNanos(200_000);
            }
            if (failure != null) {
                throw new IOException("building the HNSW graph failed: " + failure, failure);
            }
        }

        void abandon() {
            abandoned = true;
        }

        /**
         * A function of what the indexing thread added, not of the graph's progress: the index
         * writer's accounting expects a writer's size to change only when documents are added.
         * The graph part is its bottom layer (ids and scores of up to 2 × maxConn neighbours per
         * node, as Lucene allocates them); upper layers hold about 1/maxConn of the nodes.
         */
        @Override
        public long ramBytesUsed() {
            long n = published;
            long vector = RamUsageEstimator.NUM_BYTES_ARRAY_HEADER + (long) fieldInfo.getVectorDimension() * Float.BYTES;
            long stored = RamUsageEstimator.shallowSizeOf(vectors) + RamUsageEstimator.sizeOf(docs) + n * vector;
            if (serial != null) {
                return stored + serial.getGraph().ramBytesUsed(); // built on this thread: exact
            }
            long node = 2L * (RamUsageEstimator.NUM_BYTES_ARRAY_HEADER + (2L * maxConn + 1) * Integer.BYTES)
                    + RamUsageEstimator.NUM_BYTES_OBJECT_HEADER + 3L * RamUsageEstimator.NUM_BYTES_OBJECT_REF;
            // the graph's node table has a slot per unit of capacity
            return stored + RamUsageEstimator.NUM_BYTES_OBJECT_REF * (long) capacity + n * node;
        }
    }

    /** The stored vectors of one field, by ordinal; the count grows while the segment fills. */
    private static final class Values extends FloatVectorValues {
        private final FieldWriter field;
        private final int dimension;

        Values(FieldWriter field, int dimension) {
            this.field = field;
            this.dimension = dimension;
        }

        @Override
        public float[] vectorValue(int ord) {
            return field.vectors[ord];
        }

        @Override
        public int ordToDoc(int ord) {
            return field.docs[ord];
        }

        @Override
        public Values copy() {
            return this; // stateless reads of arrays that are never overwritten
        }

        @Override
        public int dimension() {
            return dimension;
        }

        @Override
        public int size() {
            return field.published;
        }

        @Override
        public DocIndexIterator iterator() {
            return createSparseIterator();
        }
    }

    /** The flush's only "segment to merge": the buffered vectors with their finished graphs. */
    private static final class BufferedReader extends KnnVectorsReader implements HnswGraphProvider {
        private final Map<String, FieldWriter> fields;

        BufferedReader(Map<String, FieldWriter> fields) {
            this.fields = fields;
        }

        @Override
        public HnswGraph getGraph(String field) {
            return fields.get(field).builtGraph();
        }

        @Override
        public void checkIntegrity() {
        }

        @Override
        public FloatVectorValues getFloatVectorValues(String field) {
            FieldWriter w = fields.get(field);
            return w == null ? null : w.values;
        }

        @Override
        public ByteVectorValues getByteVectorValues(String field) {
            throw new UnsupportedOperationException("only float vectors are indexed");
        }

        @Override
        public void search(String field, float[] target, KnnCollector knnCollector, AcceptDocs acceptDocs) {
            throw new UnsupportedOperationException("a segment being flushed is not searched");
        }

        @Override
        public void search(String field, byte[] target, KnnCollector knnCollector, AcceptDocs acceptDocs) {
            throw new UnsupportedOperationException("a segment being flushed is not searched");
        }

        @Override
        public void close() {
        }
    }
}
