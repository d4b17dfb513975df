package io.chroma.core.internal.index;

import io.chroma.api.WhereDocument;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
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
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;

import java.io.IOException;
import java.util.Objects;

/**
 * Records whose document satisfies a positive {@link WhereDocument} leaf ({@code Contains} or
 * {@code Regex}), exactly: an index-backed {@code approximation} (trigram conjunction, or "has a
 * document") proposes candidates and a {@link TwoPhaseIterator} confirms each one by running
 * {@link WhereDocument#matches} on the stored document. Lucene calls the confirmation only for
 * documents every cheaper clause has already accepted.
 */
final class LuceneDocumentQuery extends Query {

    private final Query approximation;
    private final WhereDocument predicate;
    /** Identity of the predicate for equals/hashCode (Pattern has no value equality). */
    private final String predicateKey;

    LuceneDocumentQuery(Query approximation, WhereDocument predicate) {
        this.approximation = Objects.requireNonNull(approximation);
        this.predicate = Objects.requireNonNull(predicate);
        this.predicateKey = switch (predicate) {
            case WhereDocument.Contains c -> "contains:" + c.text();
            case WhereDocument.Regex r -> "regex:" + r.pattern();
            default -> throw new IllegalArgumentException("only positive leaves are verified: " + predicate);
        };
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        Query rewritten = approximation.rewrite(searcher);
        return rewritten == approximation ? this : new LuceneDocumentQuery(rewritten, predicate);
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        Weight approximationWeight = searcher.createWeight(approximation, ScoreMode.COMPLETE_NO_SCORES, 1f);
        return new ConstantScoreWeight(this, boost) {
            @Override
            public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
                ScorerSupplier inner = approximationWeight.scorerSupplier(context);
                if (inner == null) {
                    return null;
                }
                float score = score();
                return new ScorerSupplier() {
                    @Override
                    public Scorer get(long leadCost) throws IOException {
                        DocIdSetIterator candidates = inner.get(leadCost).iterator();
                        BinaryDocValues documents = DocValues.getBinary(context.reader(), LuceneFields.DOCUMENT);
                        TwoPhaseIterator confirm = new TwoPhaseIterator(candidates) {
                            @Override
                            public boolean matches() throws IOException {
                                String document = documents.advanceExact(candidates.docID())
                                        ? LuceneFields.decodeDocument(documents.binaryValue())
                                        : null;
                                return predicate.matches(document);
                            }

                            @Override
                            public float matchCost() {
                                return 1000f; // decoding and scanning a document: far dearer than a posting
                            }
                        };
                        return new ConstantScoreScorer(score, scoreMode, confirm);
                    }

                    @Override
                    public long cost() {
                        return inner.cost();
                    }
                };
            }

            @Override
            public boolean isCacheable(LeafReaderContext context) {
                // Documents never change inside a segment (no doc-value updates), so a cached
                // per-segment result stays right.
                return approximationWeight.isCacheable(context);
            }
        };
    }

    @Override
    public void visit(QueryVisitor visitor) {
        if (visitor.acceptField(LuceneFields.DOCUMENT)) {
            visitor.visitLeaf(this);
        }
    }

    @Override
    public String toString(String field) {
        return "document(" + predicateKey + " | " + approximation.toString(field) + ")";
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other)
                && approximation.equals(((LuceneDocumentQuery) other).approximation)
                && predicateKey.equals(((LuceneDocumentQuery) other).predicateKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), approximation, predicateKey);
    }
}
