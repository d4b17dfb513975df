package io.chroma.core.internal.index;

import io.chroma.api.Space;
import io.chroma.api.Where;
import io.chroma.api.WhereDocument;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.KeepOnlyLastCommitDeletionPolicy;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PointValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.VectorScorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.IOUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link VectorIndex} of one collection on Lucene: HNSW vectors ({@link KnnFloatVectorField})
 * plus typed metadata fields and a trigram-accelerated document field for filters (layout in
 * {@link LuceneFields}, filter semantics in {@link LuceneFilterCompiler}).
 *
 * <p>Build one with {@link #open(Path, IndexSettings)}: a directory for a persistent index, or
 * {@code null} for an in-memory one.
 *
 * <p><b>Spaces.</b> l2 ranks with {@code EUCLIDEAN}, ip with {@code MAXIMUM_INNER_PRODUCT}, cosine
 * with {@code DOT_PRODUCT} on normalised copies. A zero vector has no direction: in cosine space it
 * is kept out of the graph, marked, and merged into results at its defined distance 1.0. Scores
 * only rank; the engine recomputes Chroma's distances from the stored vectors.
 *
 * <p><b>Freshness.</b> Writes go to one {@link IndexWriter}; readers use a near-real-time
 * {@link SearcherManager} that is refreshed lazily, by the first read after a write, so a bulk load
 * pays for no refresh and a read always sees every write that returned before it began. A batch
 * ({@link #applyAll}) is atomic for readers: a refresh waits while a batch is being applied.
 *
 * <p><b>Durability.</b> Nothing is durable until {@link #commit(long)}; {@link #close()} does not
 * commit (the engine commits with the right write-log position first). A crash loses only
 * uncommitted work, which the engine replays from {@link #committedOpSeq()}.
 */
public final class LuceneIndex implements VectorIndex {

    /**
     * Filtered HNSW wanders through rejected nodes: its cost grows about as total / matches, while
     * an exact SIMD scan of the matches costs about matches. The two meet near
     * matches = sqrt(factor * total); at 100k x 384 a 10 % filter (10k matches) took 4.8 ms of CPU
     * through the graph and 2.8 ms exact, one exact distance ~0.28 us, which puts the factor near
     * 2,000 (crossover ~14k matches at 100k records, ~45k at 1M). 0 turns the exact path off.
     */
    static final long EXACT_FACTOR = Math.max(0, Long.getLong("chroma.index.exactFactor", 2_000));

    static boolean exactBeatsFilteredGraph(long matches, long total) {
        return matches * matches <= EXACT_FACTOR * total;
    }

    /**
     * Threads that index one batch (each fills its own in-memory segment and HNSW graph), and that
     * rebuild graphs on merges. Default 1: on the shared 2-core machine two threads gave no faster
     * ingest and twice the segments, so queries cost about twice as much (see
     * bench/results/engine-*.md). {@code -Dchroma.index.threads=N} enables it on a machine with
     * idle cores.
     */
    static final int DEFAULT_THREADS = Math.max(1, Integer.getInteger("chroma.index.threads", 1));

    /**
     * Threads building each new segment's HNSW graph while records are added (the indexing thread
     * only stores vectors; see {@link ConcurrentGraphFlushWriter}). Default: the machine's cores.
     * Lucene alone, 100k MiniLM vectors: 55.2 s on one thread, 34.8 s on two (one graph, unlike
     * {@link #DEFAULT_THREADS}, which gives a segment per thread). 1 = Lucene's own single-thread build.
     */
    static final int GRAPH_WORKERS = Math.max(1, Integer.getInteger("chroma.index.graphWorkers",
            Runtime.getRuntime().availableProcessors()));

    /**
     * Most documents a new segment holds: its graph is allocated for that many nodes, since a graph
     * built on several threads cannot grow. Above the engine's commit interval (100k), so a bulk load
     * still makes one segment per commit.
     */
    static final int SEGMENT_CAPACITY = 1 << 17;

    /**
     * {@code -Dchroma.index.vectors=int8}: new segments hold 8-bit quantized vectors only
     * ({@link QuantizedHnswVectorsFormat}; the store has the float32 ones), for about 0.35× the
     * index bytes on disk and in memory-mapped pages, at some query time (docs/memory.md). The
     * default, {@code float32}, is Lucene's float32 format. Either reads back whatever the index holds.
     */
    static boolean quantizedByDefault() {
        return "int8".equals(System.getProperty("chroma.index.vectors", "float32"));
    }

    /**
     * Candidates a query over quantized vectors hands to the engine for exact ranking, for {@code k}
     * results: twice {@code k} and at least {@code k + 10}. (Without them, recall@10 on 100k MiniLM
     * embeddings was 0.989 instead of 1.000, EngineBenchmark.)
     */
    static int rerankCandidates(int k) {
        return (int) Math.min(Integer.MAX_VALUE, (long) k + Math.max(k, 10));
    }

    /** Fewer new records than this per thread are not worth a thread (nor an extra small segment). */
    static final int MIN_PER_THREAD = 256;

    private static final AtomicLong THREAD_IDS = new AtomicLong();

    /**
     * Shared by every index: indexing helpers and HNSW merge workers. Unbounded (no task waits for
     * a free thread, so merges and batches cannot starve each other), daemon, idle threads exit.
     */
    private static final ExecutorService THREADS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "chroma-index-" + THREAD_IDS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    /** Commit user-data key holding the engine's applied write-log position. */
    static final String OP_SEQ_KEY = "chroma.appliedOpSeq";

    /**
     * Commit user-data key of the document layout version. "2" added the full-text field
     * ({@link LuceneFields#TEXT}); an older index would silently miss it, so it is rebuilt.
     */
    static final String LAYOUT_KEY = "chroma.layout";
    static final String LAYOUT = "2";

    /** Indexes below this size get every file checksummed on open (cheap, catches bit rot early). */
    private static final long FULL_CHECKSUM_LIMIT_BYTES = 64L << 20;

    private final Path path;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Space space;
    private final int dimension;
    private final VectorSimilarityFunction similarity;
    /** Threads indexing one batch. */
    private final int threads;

    /** Guards writes (the engine serialises them already; this makes misuse harmless). */
    private final Object writeLock = new Object();
    /** Largest seq ever added since open/clear: a larger seq cannot be in the index yet. */
    private long maxSeq;
    private volatile long committedOpSeq;

    /** Bumped after every write returns; readers refresh when it is ahead of what they last saw. */
    private final AtomicLong writeGeneration = new AtomicLong();
    /**
     * Held while a batch is applied and while readers refresh, so that a refresh never catches a
     * batch half-applied. Readers that need no refresh do not take it.
     */
    private final ReentrantLock visibility = new ReentrantLock();
    private volatile long refreshedGeneration;

    private LuceneIndex(Path path, Directory directory, IndexWriter writer, SearcherManager searchers,
                        IndexSettings settings, long committedOpSeq, long maxSeq, int threads) {
        this.threads = threads;
        this.path = path;
        this.directory = directory;
        this.writer = writer;
        this.searchers = searchers;
        this.space = settings.space() == null ? Space.L2 : settings.space();
        this.dimension = settings.dimension();
        this.similarity = similarityOf(space);
        this.committedOpSeq = committedOpSeq;
        this.maxSeq = maxSeq;
    }

    /**
     * Opens (creating if needed) the index in {@code dirOrNull}, or an in-memory index when it is
     * {@code null}.
     *
     * @throws IOException when the directory holds an index that cannot be read (truncated or
     *     corrupt files, unknown format, a lock held by another writer...): the engine wipes the
     *     directory and rebuilds. Resources are released before it is thrown.
     * @throws IllegalArgumentException for impossible settings (dimension &lt; 1 or too large)
     */
    public static LuceneIndex open(Path dirOrNull, IndexSettings settings) throws IOException {
        return open(dirOrNull, settings, DEFAULT_THREADS);
    }

    /** As {@link #open(Path, IndexSettings)}, indexing each batch with up to {@code threads} threads. */
    static LuceneIndex open(Path dirOrNull, IndexSettings settings, int threads) throws IOException {
        return open(dirOrNull, settings, threads, quantizedByDefault());
    }

    /** As above, writing new segments' vectors quantized ({@link QuantizedHnswVectorsFormat}) or as float32. */
    static LuceneIndex open(Path dirOrNull, IndexSettings settings, int threads, boolean quantized) throws IOException {
        validate(settings);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Directory directory = null;
        IndexWriter writer = null;
        SearcherManager searchers = null;
        try {
            if (dirOrNull == null) {
                directory = new ByteBuffersDirectory();
            } else {
                Files.createDirectories(dirOrNull);
                directory = FSDirectory.open(dirOrNull);
                verifyFiles(directory);
            }
            writer = new IndexWriter(directory, writerConfig(settings, threads, quantized));
            long committed = -1;
            String layout = null;
            for (Map.Entry<String, String> e : liveCommitData(writer)) {
                if (e.getKey().equals(OP_SEQ_KEY)) {
                    committed = Long.parseLong(e.getValue());
                } else if (e.getKey().equals(LAYOUT_KEY)) {
                    layout = e.getValue();
                }
            }
            if (committed >= 0 && !LAYOUT.equals(layout)) {
                throw new CorruptIndexException("index layout " + layout + " predates layout " + LAYOUT
                        + " (full-text field): rebuilding", String.valueOf(dirOrNull));
            }
            // Opening the near-real-time reader opens every segment: headers, footers and field
            // metadata are checked here, so a damaged index fails now and not on the first query.
            searchers = new SearcherManager(writer, true, false, null);
            checkVectorField(searchers, settings);
            long maxSeq = maxSeq(searchers);
            return new LuceneIndex(dirOrNull, directory, writer, searchers, settings, committed, maxSeq, threads);
        } catch (Throwable t) {
            // Release the write lock and files so that the engine can wipe the directory.
            IOUtils.closeWhileHandlingException(searchers, writer, directory);
            if (t instanceof IOException io) {
                throw io;
            }
            if (t instanceof RuntimeException) {
                // Lucene reports some damage (unknown codec names, impossible field infos) with
                // unchecked exceptions; to the engine they all mean "unreadable, rebuild".
                throw new CorruptIndexException("cannot open the Lucene index: " + t, String.valueOf(dirOrNull), t);
            }
            throw t;
        }
    }

    private static void validate(IndexSettings s) {
        if (s == null) {
            throw new IllegalArgumentException("index settings are required");
        }
        if (s.dimension() < 1 || s.dimension() > LuceneHighDimensionFormat.MAX_DIMENSIONS) {
            throw new IllegalArgumentException("vector dimension must be between 1 and "
                    + LuceneHighDimensionFormat.MAX_DIMENSIONS + ", got " + s.dimension());
        }
    }

    private static Iterable<Map.Entry<String, String>> liveCommitData(IndexWriter writer) {
        Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData();
        return data == null ? List.of() : data;
    }

    /** Lucene graph links per unit of Chroma's {@code hnsw:M}; see {@link #writerConfig}. */
    static final int LINKS_PER_CHROMA_M = 2;

    /**
     * Lucene's build beam per unit of Chroma's {@code construction_ef}, and its search beam per unit
     * of {@code ef_search}: 1 and 1, Chroma's values as they are. A narrower build beam with a wider
     * search beam ingests faster (build 0.72 / search 1.4: ~1.3× at 100k × 384, about the same
     * query p50 on MiniLM embeddings), but on clustered data its recall@10 (0.974-0.977) was no
     * longer safely above real Chroma's (0.964-0.975 over a day's runs; once 0.9754 against our
     * 0.9738), where 1 / 1 keeps 0.982-0.984 (bench/results/beam-mapping-2026-12-05.md).
     * {@code -Dchroma.index.buildBeamPerEf} / {@code searchBeamPerEf} trade recall for ingest.
     */
    static final double BUILD_BEAM_PER_EF = positiveFactor("chroma.index.buildBeamPerEf");
    static final double SEARCH_BEAM_PER_EF = positiveFactor("chroma.index.searchBeamPerEf");

    /** A tuning factor from a system property; 1 when unset, unreadable or not a positive number. */
    static double positiveFactor(String property) {
        try {
            double f = Double.parseDouble(System.getProperty(property, "1"));
            return f > 0 && Double.isFinite(f) ? f : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Lucene's build beam for Chroma's {@code construction_ef} ({@code <= 0}: Chroma's default, 100). */
    static int buildBeam(int constructionEf) {
        int ef = constructionEf <= 0 ? Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH : constructionEf;
        return clamp((int) Math.min(Integer.MAX_VALUE, Math.round(ef * BUILD_BEAM_PER_EF)),
                2, Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH);
    }

    /** Lucene's search beam for Chroma's {@code ef_search}, never fewer than the results wanted. */
    static int searchBeam(int efSearch, int wanted) {
        return Math.max(wanted, (int) Math.min(Integer.MAX_VALUE, Math.round(efSearch * SEARCH_BEAM_PER_EF)));
    }

    private static IndexWriterConfig writerConfig(IndexSettings s, int threads, boolean quantized) {
        // Lucene bounds maxConn and beamWidth; Chroma does not. These are tuning knobs of a derived
        // index, so out-of-range values are clamped rather than making the collection unusable.
        // Lucene's graph at Chroma's M reaches lower recall than Chroma's hnswlib graph at the same M
        // on clustered data (recall@10 0.84 vs 0.97 at 20k x 384, 1000 clusters, ef 100; raising
        // ef_search to 400 only gave 0.87, raising maxConn to 2M gave 0.96): the graph, not the
        // search beam, was short of links. So Chroma's M maps to a maxConn of 2M.
        int chromaM = s.maxNeighbors() <= 0 ? Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN : s.maxNeighbors();
        int maxConn = clamp(LINKS_PER_CHROMA_M * chromaM, 2, Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN);
        int beamWidth = buildBeam(s.efConstruction());
        KnnVectorsFormat vectors = quantized
                ? new QuantizedHnswVectorsFormat(maxConn, beamWidth, threads, THREADS, GRAPH_WORKERS, SEGMENT_CAPACITY)
                : new LuceneHighDimensionFormat(maxConn, beamWidth, threads, THREADS, GRAPH_WORKERS, SEGMENT_CAPACITY);
        IndexWriterConfig config = new IndexWriterConfig(LuceneFields.TEXT_ANALYZER) // the full-text field's analysis
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                // The subclass keeps the codec's name "Lucene104", so the index reopens with the
                // stock codec; only writing needs the wider vector format.
                .setCodec(new Lucene104Codec() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return vectors;
                    }
                })
                .setCommitOnClose(false)
                // lets a backup hold one commit's files while writing and merging go on
                .setIndexDeletionPolicy(new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy()))
                .setRAMBufferSizeMB(ramBufferMb(s.dimension()))
                .setMaxBufferedDocs(SEGMENT_CAPACITY - 1);
        return config;
    }

    /**
     * A large buffer means few flushes, and each flush builds a new HNSW graph that merges must
     * rebuild, and that every query then searches besides the others: 256 MB holds 100k × 384-d
     * vectors with their graph, and grows with the dimension (1 GB for 1536-d), since the engine
     * commits every 100k records anyway. At 256 MB a 100k × 1536 collection was flushed in three
     * segments, and its queries took 1.12× the time of real Chroma's (compare-20261205-1536.md).
     * Capped by the heap, since every open collection may fill its own buffer.
     */
    static double ramBufferMb(int dimension) {
        long heapMb = Runtime.getRuntime().maxMemory() >> 20;
        long wanted = 256L * ((dimension + 383) / 384); // dimension >= 1: at least 256
        return Math.max(16, Math.min(wanted, heapMb / 6));
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /**
     * Checks that every file of the last commit ends with an intact Lucene footer (a truncated file
     * does not), and for small indexes verifies the full checksums. No commit = a new index.
     */
    private static void verifyFiles(Directory directory) throws IOException {
        SegmentInfos infos;
        try {
            infos = SegmentInfos.readLatestCommit(directory);
        } catch (IndexNotFoundException e) {
            return;
        }
        long total = 0;
        List<String> files = new ArrayList<>(infos.files(true));
        for (String file : files) {
            total += directory.fileLength(file);
        }
        boolean full = total <= FULL_CHECKSUM_LIMIT_BYTES;
        for (String file : files) {
            try (IndexInput in = directory.openInput(file, IOContext.READONCE)) {
                if (full) {
                    CodecUtil.checksumEntireFile(in);
                } else {
                    CodecUtil.retrieveChecksum(in);
                }
            }
        }
    }

    /**
     * An index built for another dimension or space (say the directory of a deleted collection
     * whose id was reused, or a settings change) cannot serve this collection: report it unreadable
     * so that the engine rebuilds it.
     */
    private static void checkVectorField(SearcherManager searchers, IndexSettings settings) throws IOException {
        VectorSimilarityFunction expected = similarityOf(settings.space() == null ? Space.L2 : settings.space());
        IndexSearcher s = searchers.acquire();
        try {
            for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
                FieldInfo fi = leaf.reader().getFieldInfos().fieldInfo(LuceneFields.VECTOR);
                if (fi == null || fi.getVectorDimension() == 0) {
                    continue;
                }
                if (fi.getVectorDimension() != settings.dimension() || fi.getVectorSimilarityFunction() != expected) {
                    throw new CorruptIndexException("index holds " + fi.getVectorDimension() + "-d vectors ranked by "
                            + fi.getVectorSimilarityFunction() + ", the collection needs " + settings.dimension()
                            + "-d vectors ranked by " + expected, leaf.reader().toString());
                }
            }
        } finally {
            searchers.release(s);
        }
    }

    private static VectorSimilarityFunction similarityOf(Space space) {
        return switch (space) {
            case L2 -> VectorSimilarityFunction.EUCLIDEAN;
            case IP -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
            case COSINE -> VectorSimilarityFunction.DOT_PRODUCT;
        };
    }

    private static long maxSeq(SearcherManager searchers) throws IOException {
        IndexSearcher s = searchers.acquire();
        try {
            long max = -1;
            for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
                PointValues points = leaf.reader().getPointValues(LuceneFields.SEQ);
                if (points != null && points.size() > 0) {
                    max = Math.max(max, LongPoint.decodeDimension(points.getMaxPackedValue(), 0));
                }
            }
            return max;
        } finally {
            searchers.release(s);
        }
    }

    // ---- writes ----

    @Override
    public void upsert(long seq, float[] vector, Map<String, Object> metadata, String document) throws IOException {
        applyAll(List.of(Change.upsert(seq, vector, metadata, document)));
    }

    @Override
    public void delete(long seq) throws IOException {
        applyAll(List.of(Change.delete(seq)));
    }

    /**
     * Applies a batch so that readers see all of it or none: the batch holds {@link #visibility},
     * which every reader refresh needs, and bumps the write generation once at the end. Records
     * with new seqs (larger than any indexed) are added by up to {@link #threads} threads at
     * once: {@link IndexWriter} is thread-safe and gives each thread its own in-memory segment, so
     * the HNSW graphs, the dominant cost, are built in parallel. Replaced and deleted records go
     * through the caller's thread afterwards (by term).
     */
    @Override
    public void applyAll(List<Change> changes) throws IOException {
        // Validate everything before touching the writer: a bad change must not leave half a batch.
        for (Change c : changes) {
            if (!c.delete()) {
                checkVector(c.seq(), c.vector());
            }
        }
        synchronized (writeLock) {
            visibility.lock();
            try {
                if (hasDuplicateSeqs(changes)) {
                    // Order matters between changes of one seq: apply them strictly one by one.
                    for (Change c : changes) {
                        applyOne(c, false);
                    }
                } else {
                    List<Change> added = new ArrayList<>(changes.size());
                    List<Change> rest = new ArrayList<>();
                    for (Change c : changes) {
                        (!c.delete() && c.seq() > maxSeq ? added : rest).add(c);
                    }
                    addAll(added);
                    for (Change c : rest) {
                        applyOne(c, false);
                    }
                }
                writeGeneration.incrementAndGet();
            } finally {
                visibility.unlock();
            }
        }
    }

    /** Under both locks. New seqs are larger than any indexed one: they skip the delete-by-term lookup. */
    private void applyOne(Change c, boolean isNew) throws IOException {
        if (c.delete()) {
            writer.deleteDocuments(LuceneFields.idTerm(c.seq()));
        } else if (isNew || c.seq() > maxSeq) {
            writer.addDocument(toDocument(c));
            maxSeq = Math.max(maxSeq, c.seq());
        } else {
            writer.updateDocument(LuceneFields.idTerm(c.seq()), toDocument(c));
        }
    }

    /** Adds records with distinct new seqs, split into contiguous runs over several threads. */
    private void addAll(List<Change> added) throws IOException {
        int threads = Math.min(this.threads, added.size() / MIN_PER_THREAD);
        if (threads <= 1) {
            for (Change c : added) {
                applyOne(c, true);
            }
            return;
        }
        List<Future<?>> tasks = new ArrayList<>(threads - 1);
        int per = (added.size() + threads - 1) / threads;
        Throwable failure = null;
        try {
            for (int t = 1; t < threads; t++) {
                List<Change> part = added.subList(Math.min(added.size(), t * per), Math.min(added.size(), (t + 1) * per));
                tasks.add(THREADS.submit(() -> {
                    for (Change c : part) {
                        writer.addDocument(toDocument(c));
                    }
                    return null;
                }));
            }
            for (Change c : added.subList(0, Math.min(added.size(), per))) {
                writer.addDocument(toDocument(c));
            }
        } catch (Throwable t) {
            failure = t;
        }
        // Always wait for every task: the batch must be complete (or failed) before readers refresh.
        for (Future<?> f : tasks) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failure = addFailure(failure, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = addFailure(failure, e);
            }
        }
        for (Change c : added) {
            maxSeq = Math.max(maxSeq, c.seq());
        }
        if (failure != null) {
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            throw new IOException("indexing failed: " + failure, failure);
        }
    }

    private static Throwable addFailure(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private static boolean hasDuplicateSeqs(List<Change> changes) {
        if (changes.size() < 2) {
            return false;
        }
        long[] seqs = new long[changes.size()];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = changes.get(i).seq();
        }
        Arrays.sort(seqs);
        for (int i = 1; i < seqs.length; i++) {
            if (seqs[i] == seqs[i - 1]) {
                return true;
            }
        }
        return false;
    }

    private void checkVector(long seq, float[] vector) {
        if (vector == null) {
            throw new IllegalArgumentException("record " + seq + " has no vector");
        }
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector of dimension " + vector.length + " in an index of dimension "
                    + dimension);
        }
    }

    private Document toDocument(Change c) {
        Document doc = new Document();
        LuceneFields.addSeq(doc, c.seq());
        float[] indexed = space == Space.COSINE ? normalised(c.vector()) : c.vector();
        if (indexed == null) {
            doc.add(new StringField(LuceneFields.ZERO_VECTOR, LuceneFields.TRUE, Field.Store.NO));
        } else {
            doc.add(new KnnFloatVectorField(LuceneFields.VECTOR, indexed, similarity));
        }
        LuceneFields.addMetadata(doc, c.metadata());
        LuceneFields.addDocument(doc, c.document());
        return doc;
    }

    @Override
    public void clear() throws IOException {
        synchronized (writeLock) {
            visibility.lock();
            try {
                writer.deleteAll();
                maxSeq = -1;
                writeGeneration.incrementAndGet();
            } finally {
                visibility.unlock();
            }
        }
    }

    @Override
    public void commit(long appliedOpSeq) throws IOException {
        synchronized (writeLock) {
            writer.setLiveCommitData(Map.of(OP_SEQ_KEY, Long.toString(appliedOpSeq), LAYOUT_KEY, LAYOUT).entrySet());
            writer.commit();
            committedOpSeq = appliedOpSeq;
        }
    }

    @Override
    public long committedOpSeq() {
        return committedOpSeq;
    }

    @Override
    public void reclaimSpace() throws IOException {
        synchronized (writeLock) {
            // Only segments with deletions are rewritten (an update is a delete plus an add), so a
            // collection without deletions costs nothing; a full forceMerge(1) would rebuild every
            // HNSW graph for no space gained.
            writer.forceMergeDeletes(true);
            // forceMergeDeletes waits only for the merges it starts: a segment already being merged
            // (say by a natural merge picked when the index was opened) is skipped, and that merge
            // could still be running at the commit below. Wait for every running merge, then look
            // again for segments with deletions.
            if (writer.getConfig().getMergeScheduler() instanceof ConcurrentMergeScheduler cms) {
                cms.sync();
            }
            writer.forceMergeDeletes(true);
            // The open reader still references the old segments, and on some systems their space
            // is only freed once no reader has them open: move readers to the merged segments.
            visibility.lock();
            try {
                long now = writeGeneration.get();
                searchers.maybeRefreshBlocking();
                refreshedGeneration = now;
            } finally {
                visibility.unlock();
            }
            // The merge changed no record, so the commit keeps the applied write-log position.
            writer.setLiveCommitData(Map.of(OP_SEQ_KEY, Long.toString(committedOpSeq), LAYOUT_KEY, LAYOUT).entrySet());
            writer.commit();
            writer.deleteUnusedFiles();
        }
    }

    @Override
    public Optional<HeldCommit> holdCommit() throws IOException {
        if (path == null) {
            return Optional.empty();
        }
        SnapshotDeletionPolicy policy = (SnapshotDeletionPolicy) writer.getConfig().getIndexDeletionPolicy();
        IndexCommit commit;
        synchronized (writeLock) {
            commit = policy.snapshot(); // IllegalStateException when nothing was ever committed
        }
        long opSeq = -1;
        String value = commit.getUserData().get(OP_SEQ_KEY);
        if (value != null) {
            opSeq = Long.parseLong(value);
        }
        List<String> files = List.copyOf(commit.getFileNames());
        long held = opSeq;
        return Optional.of(new HeldCommit() {
            private boolean released;

            @Override
            public Path dir() {
                return path;
            }

            @Override
            public List<String> files() {
                return files;
            }

            @Override
            public long opSeq() {
                return held;
            }

            @Override
            public void close() {
                synchronized (writeLock) {
                    if (released) {
                        return;
                    }
                    released = true;
                    try {
                        policy.release(commit);
                        writer.deleteUnusedFiles();
                    } catch (IOException | RuntimeException e) {
                        // closed meanwhile (collection dropped): its files are gone with it anyway
                    }
                }
            }
        });
    }

    // ---- reads ----

    /** A searcher that sees every write that returned before this call. Release it. */
    private IndexSearcher acquire() throws IOException {
        long wanted = writeGeneration.get();
        if (wanted > refreshedGeneration) {
            visibility.lock();
            try {
                if (wanted > refreshedGeneration) {
                    // No batch is half-applied while we hold the lock: the writer holds exactly the
                    // writes counted so far, and the reopened reader sees all of them.
                    long now = writeGeneration.get();
                    searchers.maybeRefreshBlocking();
                    refreshedGeneration = now;
                }
            } finally {
                visibility.unlock();
            }
        }
        return searchers.acquire();
    }

    @Override
    public int size() throws IOException {
        IndexSearcher s = acquire();
        try {
            return s.getIndexReader().numDocs();
        } finally {
            searchers.release(s);
        }
    }

    @Override
    public long[] filter(Where where, WhereDocument whereDocument) throws IOException {
        Query q = LuceneFilterCompiler.compile(where, whereDocument, null);
        IndexSearcher s = acquire();
        try {
            long[] seqs = matchingSeqs(s, q == null ? new MatchAllDocsQuery() : q, Integer.MAX_VALUE);
            Arrays.sort(seqs);
            return seqs;
        } finally {
            searchers.release(s);
        }
    }

    /** Seqs of the first {@code limit} live documents matching {@code q}, in doc order. */
    private static long[] matchingSeqs(IndexSearcher s, Query q, int limit) throws IOException {
        Weight w = s.createWeight(s.rewrite(q), ScoreMode.COMPLETE_NO_SCORES, 1f);
        LongList out = new LongList();
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            Scorer scorer = w.scorer(leaf);
            if (scorer == null) {
                continue;
            }
            DocIdSetIterator it = scorer.iterator();
            Bits live = leaf.reader().getLiveDocs();
            NumericDocValues seqs = DocValues.getNumeric(leaf.reader(), LuceneFields.SEQ);
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if (live != null && !live.get(doc)) {
                    continue;
                }
                if (out.size() >= limit) {
                    return out.toArray();
                }
                out.add(seq(seqs, doc));
            }
        }
        return out.toArray();
    }

    private static long seq(NumericDocValues seqs, int doc) throws IOException {
        if (!seqs.advanceExact(doc)) {
            throw new CorruptIndexException("document " + doc + " has no seq", LuceneFields.SEQ);
        }
        return seqs.longValue();
    }

    @Override
    public long[] search(float[] query, int k, int ef, Where where, WhereDocument whereDocument, long[] candidates)
            throws IOException {
        return denseSearch(query, k, ef, where, whereDocument, candidates, false).seqs();
    }

    /**
     * l2 and ip index the vectors as written, so the hits' distances come from the index's copies;
     * cosine indexes normalised copies, which would not give Chroma's distance bit for bit: none there.
     */
    @Override
    public DenseHits searchWithDistances(float[] query, int k, int ef, Where where, WhereDocument whereDocument,
            long[] candidates) throws IOException {
        return denseSearch(query, k, ef, where, whereDocument, candidates, space != Space.COSINE);
    }

    private DenseHits denseSearch(float[] query, int k, int ef, Where where, WhereDocument whereDocument,
            long[] candidates, boolean withDistances) throws IOException {
        if (query == null || query.length != dimension) {
            throw new IllegalArgumentException("query vector of dimension " + (query == null ? 0 : query.length)
                    + " in an index of dimension " + dimension);
        }
        if (k <= 0) {
            return new DenseHits(new long[0], withDistances ? new float[0] : null);
        }
        Query filter = LuceneFilterCompiler.compile(where, whereDocument, candidates);
        float[] target = space == Space.COSINE ? normalised(query) : query;
        IndexSearcher s = acquire();
        try {
            if (target == null) {
                // A zero query in cosine space is at distance 1.0 from every record: all tie.
                return new DenseHits(matchingSeqs(s, filter == null ? new MatchAllDocsQuery() : filter, k), null);
            }
            // Quantized vectors only rank approximately: hand the engine more candidates, without
            // distances, and it ranks them by the stored float32 vectors.
            boolean approximate = holdsQuantizedVectors(s);
            int wanted = approximate ? rerankCandidates(k) : k;
            int beam = searchBeam(ef, wanted);
            // The filter runs once; its result serves the count, the exact path and the HNSW filter.
            LuceneMatchedDocs matched = filter == null ? null : LuceneMatchedDocs.evaluate(s, filter);
            int count = matched == null ? s.getIndexReader().numDocs() : matched.count();
            if (count == 0) {
                return new DenseHits(new long[0], withDistances ? new float[0] : null);
            }
            List<ScoreDoc> hits;
            if (count <= beam || (matched != null && exactBeatsFilteredGraph(count, s.getIndexReader().numDocs()))) {
                // Few enough to score them all: exact, with perfect recall. Over quantized vectors,
                // up to a beam's worth all go to the exact ranking (near-ties of the quantized
                // scores cannot then push a true neighbour out).
                if (approximate && count <= beam) {
                    wanted = count;
                }
                hits = exactScores(s, matched, target, wanted);
            } else {
                // Lucene's k is also the HNSW beam: ask for the beam, keep the first wanted.
                Query knnFilter = matched == null ? null : matched.asQuery();
                TopDocs top = s.search(new KnnFloatVectorQuery(LuceneFields.VECTOR, target, beam, knnFilter), beam);
                hits = new ArrayList<>(Arrays.asList(top.scoreDocs));
                if (space == Space.COSINE) {
                    hits.addAll(zeroVectorHits(s, knnFilter, wanted));
                }
            }
            hits.sort(BY_SCORE_THEN_DOC);
            return hitsOf(s, hits, wanted, space, withDistances && !approximate ? query : null);
        } finally {
            searchers.release(s);
        }
    }

    @Override
    public TextHits fullText(String text, int k, Where where, long[] candidates) throws IOException {
        List<String> terms = LuceneFields.analyze(text);
        if (k <= 0 || terms.isEmpty()) {
            return new TextHits(new long[0], new float[0]);
        }
        BooleanQuery.Builder words = new BooleanQuery.Builder();
        for (String t : terms) {
            words.add(new TermQuery(new Term(LuceneFields.TEXT, t)), Occur.SHOULD);
        }
        BooleanQuery.Builder q = new BooleanQuery.Builder().add(words.build(), Occur.MUST);
        Query filter = LuceneFilterCompiler.compile(where, null, candidates);
        if (filter != null) {
            q.add(filter, Occur.FILTER);
        }
        IndexSearcher s = acquire();
        try {
            // Top k only: no exact total hit count (threshold k), so block-max pruning starts as
            // soon as k hits are in; the top k and their scores are the same as with a full count.
            int n = Math.max(1, Math.min(k, s.getIndexReader().maxDoc()));
            List<ScoreDoc> hits = Arrays.asList(s.search(q.build(), new TopScoreDocCollectorManager(n, null, n)).scoreDocs);
            long[] seqs = seqsOf(s, hits, k);
            float[] scores = new float[seqs.length];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = hits.get(i).score;
            }
            return new TextHits(seqs, scores);
        } finally {
            searchers.release(s);
        }
    }

    @Override
    public long[] sparseCandidates(String key, int[] indices, Where where, long[] candidates, long[] docFreq)
            throws IOException {
        String field = LuceneFields.SPARSE + key;
        List<org.apache.lucene.util.BytesRef> terms = new ArrayList<>(indices.length);
        for (int i : indices) {
            terms.add(LuceneFields.dimensionTerm(i));
        }
        IndexSearcher s = acquire();
        try {
            if (docFreq != null) {
                // live documents only: the term statistics would still count deleted ones
                for (int t = 0; t < indices.length; t++) {
                    docFreq[t] = matchingSeqs(s, new TermQuery(new Term(field, terms.get(t))), Integer.MAX_VALUE).length;
                }
            }
            if (terms.isEmpty()) {
                return new long[0];
            }
            Query q = new org.apache.lucene.search.TermInSetQuery(field, terms);
            Query filter = LuceneFilterCompiler.compile(where, null, candidates);
            if (filter != null) {
                q = new BooleanQuery.Builder().add(q, Occur.FILTER).add(filter, Occur.FILTER).build();
            }
            long[] seqs = matchingSeqs(s, q, Integer.MAX_VALUE);
            Arrays.sort(seqs);
            return seqs;
        } finally {
            searchers.release(s);
        }
    }

    private static final Comparator<ScoreDoc> BY_SCORE_THEN_DOC =
            Comparator.<ScoreDoc>comparingDouble(d -> -d.score).thenComparingInt(d -> d.doc);

    /** Whether any segment of {@code s} holds its vectors quantized ({@link QuantizedHnswVectorsFormat}). */
    private static boolean holdsQuantizedVectors(IndexSearcher s) {
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(LuceneFields.VECTOR);
            if (info != null && QuantizedHnswVectorsFormat.NAME.equals(
                    info.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY))) {
                return true;
            }
        }
        return false;
    }

    /** DOT_PRODUCT's score for a dot product of 0, i.e. cosine distance 1.0. */
    private static final float ZERO_VECTOR_SCORE = VectorSimilarityFunction.DOT_PRODUCT.compare(
            new float[] {1f, 0f}, new float[] {0f, 1f});

    /** Cosine-space records with a zero vector (outside the graph) that qualify, first {@code k}. */
    private static List<ScoreDoc> zeroVectorHits(IndexSearcher s, Query filter, int k) throws IOException {
        Query zeros = new TermQuery(new Term(LuceneFields.ZERO_VECTOR, LuceneFields.TRUE));
        if (filter != null) {
            zeros = new BooleanQuery.Builder().add(zeros, Occur.FILTER).add(filter, Occur.FILTER).build();
        }
        List<ScoreDoc> out = new ArrayList<>();
        int count = s.count(zeros);
        if (count == 0) {
            return out;
        }
        for (ScoreDoc d : s.search(zeros, Math.min(k, count)).scoreDocs) {
            out.add(new ScoreDoc(d.doc, ZERO_VECTOR_SCORE));
        }
        return out;
    }

    /**
     * The best {@code k} qualifying live documents ({@code matched}, or all when null) scored
     * against {@code target}, in no particular order.
     */
    private static List<ScoreDoc> exactScores(IndexSearcher s, LuceneMatchedDocs matched, float[] target, int k)
            throws IOException {
        // worst of the kept hits on top, so one comparison rejects most candidates
        // k may be anything up to Integer.MAX_VALUE (n_results is the client's): the heap grows as needed
        PriorityQueue<ScoreDoc> best = new PriorityQueue<>(Math.min(k, 1024) + 1, BY_SCORE_THEN_DOC.reversed());
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            DocIdSetIterator it = matched == null ? DocIdSetIterator.all(leaf.reader().maxDoc()) : matched.iterator(leaf);
            if (it == null) {
                continue;
            }
            Bits live = matched == null ? leaf.reader().getLiveDocs() : null; // matched is live already
            FloatVectorValues vectors = leaf.reader().getFloatVectorValues(LuceneFields.VECTOR);
            VectorScorer vectorScorer = vectors == null ? null : vectors.scorer(target);
            DocIdSetIterator withVector = vectorScorer == null ? DocIdSetIterator.empty() : vectorScorer.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if (live != null && !live.get(doc)) {
                    continue;
                }
                if (withVector.docID() < doc) {
                    withVector.advance(doc);
                }
                // Without a vector it can only be a cosine zero vector (upsert requires a vector).
                float score = withVector.docID() == doc ? vectorScorer.score() : ZERO_VECTOR_SCORE;
                if (best.size() < k) {
                    best.add(new ScoreDoc(leaf.docBase + doc, score));
                } else if (score > best.peek().score) {
                    // a tie keeps the earlier doc, as a full sort by score then doc would
                    best.poll();
                    best.add(new ScoreDoc(leaf.docBase + doc, score));
                }
            }
        }
        return new ArrayList<>(best);
    }

    private static long[] seqsOf(IndexSearcher s, List<ScoreDoc> hits, int k) throws IOException {
        return hitsOf(s, hits, k, null, null).seqs();
    }

    /**
     * The first {@code k} hits' seqs and, when {@code query} is given, {@code space}'s distance from
     * it to each hit's indexed vector ({@code null} if one has none). Hits are visited in doc order
     * so that each segment needs one forward-only doc values iterator and one vector iterator: a
     * fresh iterator per hit cost a slice (and its description string) each, and a copy per vector
     * was garbage; the distances are the same function on the same float32 values either way.
     */
    private static DenseHits hitsOf(IndexSearcher s, List<ScoreDoc> hits, int k, Space space, float[] query)
            throws IOException {
        List<LeafReaderContext> leaves = s.getIndexReader().leaves();
        int n = Math.min(k, hits.size());
        long[] seqs = new long[n];
        float[] distances = query == null ? null : new float[n];
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = ((long) hits.get(i).doc << 32) | i; // doc ids are non-negative ints
        }
        Arrays.sort(order);
        LeafReaderContext leaf = null;
        NumericDocValues seqValues = null;
        FloatVectorValues vectors = null;
        KnnVectorValues.DocIndexIterator it = null;
        for (long packed : order) {
            int i = (int) packed;
            int doc = (int) (packed >>> 32);
            if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
                leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
                seqValues = DocValues.getNumeric(leaf.reader(), LuceneFields.SEQ);
                if (distances != null) {
                    vectors = leaf.reader().getFloatVectorValues(LuceneFields.VECTOR);
                    if (vectors == null) {
                        distances = null;
                    } else {
                        it = vectors.iterator();
                    }
                }
            }
            int target = doc - leaf.docBase;
            seqs[i] = seq(seqValues, target);
            if (distances != null) {
                if ((it.docID() < target ? it.advance(target) : it.docID()) != target) {
                    distances = null;
                } else {
                    distances[i] = space.distance(query, vectors.vectorValue(it.index()));
                }
            }
        }
        return new DenseHits(seqs, distances);
    }

    /** A unit-length copy, or {@code null} for a zero vector (which has no direction). */
    static float[] normalised(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum == 0) {
            return null;
        }
        double inv = 1.0 / Math.sqrt(sum);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * inv);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        synchronized (writeLock) {
            // No commit here (commitOnClose=false): the engine commits with its log position first;
            // anything after that is replayed on the next open.
            IOUtils.close(searchers, writer, directory);
        }
    }

    @Override
    public String toString() {
        return "LuceneIndex(" + (path == null ? "in-memory" : path) + ", " + space.wireName() + ", dim " + dimension + ")";
    }

    /** A growable long array, to avoid boxing seqs. */
    private static final class LongList {
        private long[] values = new long[64];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
