package org.apache.lucene.util.hnsw;

import org.apache.lucene.internal.hppc.IntArrayList;
import org.apache.lucene.util.FixedBitSet;

import java.io.IOException;
import java.util.concurrent.locks.Lock;

/**
 * Chroma's access to the pieces Lucene uses to build one HNSW graph on several threads while
 * merging ({@link HnswConcurrentMergeBuilder}): a graph of known capacity, the striped lock that
 * guards its neighbour lists, and builders that take it. Lucene only exposes them as a whole
 * merge, over vectors that are all known up front; Chroma's flush-time writer needs them for
 * vectors that arrive one at a time while the graph is being built. This class lives in Lucene's
 * package because those constructors are package-private; it adds no behaviour of its own, and
 * {@code ConcurrentGraphFlushTest} fails if a Lucene upgrade changes what it relies on.
 */
public final class ChromaConcurrentGraph {

    private final OnHeapHnswGraph graph;
    private final HnswLock lock = new HnswLock();
    private final int maxConn;
    private final int beamWidth;

    private ChromaConcurrentGraph(OnHeapHnswGraph graph, int maxConn, int beamWidth) {
        this.graph = graph;
        this.maxConn = maxConn;
        this.beamWidth = beamWidth;
    }

    /**
     * A graph for up to {@code capacity} nodes holding a copy of {@code built}'s first
     * {@code count} nodes (0 .. count - 1, scored with {@code vectors}). It cannot grow, so
     * concurrent inserts never race a resize.
     */
    public static ChromaConcurrentGraph startingFrom(HnswGraph built, int count, int maxConn, int beamWidth,
                                                     int capacity, RandomVectorScorerSupplier vectors) throws IOException {
        int[] sameOrds = new int[count];
        for (int i = 0; i < count; i++) {
            sameOrds[i] = i;
        }
        OnHeapHnswGraph copy = InitializedHnswGraphBuilder.initGraph(built, sameOrds, capacity, maxConn, vectors);
        return new ChromaConcurrentGraph(copy, maxConn, beamWidth);
    }

    /**
     * The graph as it stands, sized by its nodes rather than its capacity (Lucene's graph of fixed
     * capacity refuses to list its nodes until every slot is filled). Call once no builder is
     * adding nodes; nodes must be 0 .. size - 1.
     */
    public HnswGraph completed() {
        int size = graph.size();
        return new HnswGraph() {
            @Override
            public void seek(int level, int target) {
                graph.seek(level, target);
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public int maxNodeId() {
                return size - 1;
            }

            @Override
            public int nextNeighbor() {
                return graph.nextNeighbor();
            }

            @Override
            public int numLevels() {
                return graph.numLevels();
            }

            @Override
            public int maxConn() {
                return graph.maxConn();
            }

            @Override
            public int entryNode() {
                return graph.entryNode();
            }

            @Override
            public int neighborCount() {
                return graph.neighborCount();
            }

            @Override
            public NodesIterator getNodesOnLevel(int level) {
                if (level == 0) {
                    return new DenseNodesIterator(size);
                }
                IntArrayList nodes = new IntArrayList();
                for (int node = 0; node < size; node++) {
                    if (graph.nodeExistAtLevel(level, node)) {
                        nodes.add(node);
                    }
                }
                return new ArrayNodesIterator(nodes.buffer, nodes.size());
            }
        };
    }

    /** A builder for one thread; several may insert into the same graph at once. */
    public HnswBuilder newBuilder(RandomVectorScorerSupplier vectors, long seed) throws IOException {
        LockingSearcher searcher = new LockingSearcher(new NeighborQueue(beamWidth, true), lock,
                new FixedBitSet(graph.maxNodeId() + 1));
        return new HnswGraphBuilder(vectors, maxConn, beamWidth, seed, graph, lock, searcher);
    }

    /** Inserts one node through {@code builder} (made by {@link #newBuilder}). */
    public static void add(HnswBuilder builder, int ord) throws IOException {
        ((HnswGraphBuilder) builder).addGraphNode(ord);
    }

    /** Reads neighbour lists under the lock, as Lucene's concurrent merge does, copying them out. */
    private static final class LockingSearcher extends HnswGraphSearcher {
        private final HnswLock lock;
        private int[] nodes = new int[0];
        private int upto;
        private int size;

        LockingSearcher(NeighborQueue candidates, HnswLock lock, FixedBitSet visited) {
            super(candidates, visited);
            this.lock = lock;
        }

        @Override
        void graphSeek(HnswGraph graph, int level, int targetNode) {
            Lock read = lock.read(level, targetNode);
            try {
                NeighborArray neighbours = ((OnHeapHnswGraph) graph).getNeighbors(level, targetNode);
                size = neighbours.size();
                if (nodes.length < size) {
                    nodes = new int[size];
                }
                System.arraycopy(neighbours.nodes(), 0, nodes, 0, size);
            } finally {
                read.unlock();
            }
            upto = -1;
        }

        @Override
        int graphNextNeighbor(HnswGraph graph) {
            return ++upto < size ? nodes[upto] : org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
        }
    }
}
