package io.chroma.core.internal.index;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

import java.io.IOException;

/**
 * The live documents matching a filter in one searcher's reader, evaluated once: a search counts
 * them, may score them all, and hands them to the HNSW search as its filter. Without this the
 * filter (possibly a regex over every document) would run twice per query.
 */
final class LuceneMatchedDocs {

    private final Object readerId;
    /** Per leaf ord; null when nothing matches in that leaf. */
    private final FixedBitSet[] leaves;
    private final int[] counts;
    private final int total;

    private LuceneMatchedDocs(Object readerId, FixedBitSet[] leaves, int[] counts, int total) {
        this.readerId = readerId;
        this.leaves = leaves;
        this.counts = counts;
        this.total = total;
    }

    static LuceneMatchedDocs evaluate(IndexSearcher searcher, Query filter) throws IOException {
        IndexReader reader = searcher.getIndexReader();
        Weight w = searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
        FixedBitSet[] bits = new FixedBitSet[reader.leaves().size()];
        int[] counts = new int[bits.length];
        int total = 0;
        for (LeafReaderContext leaf : reader.leaves()) {
            Scorer scorer = w.scorer(leaf);
            if (scorer == null) {
                continue;
            }
            DocIdSetIterator it = scorer.iterator();
            Bits live = leaf.reader().getLiveDocs();
            if (live == null && it instanceof BitSetIterator cached && cached.getBitSet() instanceof FixedBitSet fixed) {
                // A filter served from the query cache: share its bit set (read-only) instead of copying.
                int n = fixed.cardinality();
                if (n > 0) {
                    bits[leaf.ord] = fixed;
                    counts[leaf.ord] = n;
                    total += n;
                }
                continue;
            }
            FixedBitSet set = new FixedBitSet(leaf.reader().maxDoc());
            int n = 0;
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if (live == null || live.get(doc)) {
                    set.set(doc);
                    n++;
                }
            }
            if (n > 0) {
                bits[leaf.ord] = set;
                counts[leaf.ord] = n;
                total += n;
            }
        }
        return new LuceneMatchedDocs(reader.getContext().id(), bits, counts, total);
    }

    int count() {
        return total;
    }

    /** Matching docs of a leaf, ascending, or null. */
    DocIdSetIterator iterator(LeafReaderContext leaf) {
        FixedBitSet set = leaves[leaf.ord];
        return set == null ? null : new BitSetIterator(set, counts[leaf.ord]);
    }

    /** These documents as a query, valid only on the searcher they were evaluated with. */
    Query asQuery() {
        return new AsQuery();
    }

    private final class AsQuery extends Query {

        @Override
        public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
            if (searcher.getIndexReader().getContext().id() != readerId) {
                throw new IllegalStateException("matched documents of another reader");
            }
            return new ConstantScoreWeight(this, boost) {
                @Override
                public ScorerSupplier scorerSupplier(LeafReaderContext context) {
                    DocIdSetIterator it = iterator(context);
                    if (it == null) {
                        return null;
                    }
                    return new DefaultScorerSupplier(new ConstantScoreScorer(score(), scoreMode, it));
                }

                @Override
                public int count(LeafReaderContext context) {
                    return counts[context.ord];
                }

                @Override
                public boolean isCacheable(LeafReaderContext context) {
                    return false; // per-request state, never worth caching
                }
            };
        }

        @Override
        public void visit(QueryVisitor visitor) {
            visitor.visitLeaf(this);
        }

        @Override
        public String toString(String field) {
            return "matched(" + total + " docs)";
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}
