package io.chroma.core.internal.index;

import org.apache.lucene.codecs.hnsw.FlatFieldVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsFormat;
import org.apache.lucene.codecs.hnsw.FlatVectorsReader;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.codecs.hnsw.FlatVectorsWriter;
import org.apache.lucene.index.ByteVectorValues;
import org.apache.lucene.index.DocsWithFieldSet;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.MergeState;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.index.Sorter;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.util.RamUsageEstimator;
import org.apache.lucene.util.hnsw.RandomVectorScorer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The "raw vectors" half of {@link QuantizedHnswVectorsFormat}: it keeps each new segment's
 * float32 vectors in memory until the flush (the quantizing writer wraps it and reads them there)
 * and writes nothing. The store holds every record's float32 vector already, and queries rescore
 * their candidates from it, so a second float32 copy in the index would only double the disk and
 * the memory-mapped pages. Its reader has no vectors, which tells Lucene's quantized reader to
 * serve dequantized values instead (merges and exact scoring use those).
 */
final class DiscardedRawVectorsFormat extends FlatVectorsFormat {

    private static final FlatVectorsScorer SCORER = FlatVectorScorerUtil.getLucene99FlatVectorsScorer();

    DiscardedRawVectorsFormat() {
        super("ChromaDiscardedRawVectors");
    }

    @Override
    public FlatVectorsWriter fieldsWriter(SegmentWriteState state) {
        return new Writer();
    }

    @Override
    public FlatVectorsReader fieldsReader(SegmentReadState state) {
        return new Reader(state);
    }

    @Override
    public int getMaxDimensions(String fieldName) {
        return LuceneHighDimensionFormat.MAX_DIMENSIONS;
    }

    private static final class Writer extends FlatVectorsWriter {
        private final List<FieldWriter> fields = new ArrayList<>();

        Writer() {
            super(SCORER);
        }

        @Override
        public FlatFieldVectorsWriter<?> addField(FieldInfo fieldInfo) {
            if (fieldInfo.getVectorEncoding() != VectorEncoding.FLOAT32) {
                throw new IllegalArgumentException("only float32 vectors are quantized, not " + fieldInfo.getVectorEncoding());
            }
            FieldWriter w = new FieldWriter(fieldInfo.getVectorDimension());
            fields.add(w);
            return w;
        }

        @Override
        public void flush(int maxDoc, Sorter.DocMap sortMap) {
            for (FieldWriter f : fields) {
                f.finish();
            }
        }

        @Override
        public void finish() {
        }

        @Override
        public void mergeOneFlatVectorField(FieldInfo fieldInfo, MergeState mergeState) {
            // nothing to write: the quantizing writer reads the merged values itself
        }

        @Override
        public void close() {
        }

        @Override
        public long ramBytesUsed() {
            long sum = 0;
            for (FieldWriter f : fields) {
                sum += f.ramBytesUsed();
            }
            return sum;
        }
    }

    /** Buffers the vectors of one field, as Lucene's flat writer does, for the quantizing writer to read. */
    private static final class FieldWriter extends FlatFieldVectorsWriter<float[]> {
        private final int dimension;
        private final List<float[]> vectors = new ArrayList<>();
        private final DocsWithFieldSet docs = new DocsWithFieldSet();
        private int lastDoc = -1;
        private boolean finished;

        FieldWriter(int dimension) {
            this.dimension = dimension;
        }

        @Override
        public void addValue(int docID, float[] vectorValue) {
            if (finished) {
                throw new IllegalStateException("already finished, cannot add more values");
            }
            if (docID == lastDoc) {
                throw new IllegalArgumentException("a document may hold one vector per field");
            }
            docs.add(docID);
            vectors.add(copyValue(vectorValue));
            lastDoc = docID;
        }

        @Override
        public float[] copyValue(float[] vectorValue) {
            return vectorValue.clone();
        }

        @Override
        public List<float[]> getVectors() {
            return vectors;
        }

        @Override
        public DocsWithFieldSet getDocsWithFieldSet() {
            return docs;
        }

        @Override
        public void finish() {
            finished = true;
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public long ramBytesUsed() {
            long perVector = RamUsageEstimator.NUM_BYTES_ARRAY_HEADER + (long) dimension * Float.BYTES
                    + RamUsageEstimator.NUM_BYTES_OBJECT_REF;
            return vectors.size() * perVector + docs.ramBytesUsed();
        }
    }

    private static final class Reader extends FlatVectorsReader {
        private final SegmentReadState state;

        Reader(SegmentReadState state) {
            this.state = state;
        }

        @Override
        public FloatVectorValues getFloatVectorValues(String field) {
            // size 0 is what makes the quantized reader serve its dequantized values
            FieldInfo info = state.fieldInfos.fieldInfo(field);
            return FloatVectorValues.fromFloats(List.of(), info == null ? 1 : info.getVectorDimension());
        }

        @Override
        public ByteVectorValues getByteVectorValues(String field) {
            return null;
        }

        @Override
        public RandomVectorScorer getRandomVectorScorer(String field, float[] target) {
            throw new UnsupportedOperationException("no raw vectors in this segment; score its quantized vectors");
        }

        @Override
        public RandomVectorScorer getRandomVectorScorer(String field, byte[] target) {
            throw new UnsupportedOperationException("no raw vectors in this segment; score its quantized vectors");
        }

        @Override
        public void search(String field, float[] target, KnnCollector knnCollector, AcceptDocs acceptDocs) {
            throw new UnsupportedOperationException("no raw vectors in this segment; search its quantized vectors");
        }

        @Override
        public void checkIntegrity() {
        }

        @Override
        public Map<String, Long> getOffHeapByteSize(FieldInfo fieldInfo) {
            return Map.of();
        }

        @Override
        public void close() {
        }

        @Override
        public long ramBytesUsed() {
            return 0;
        }

        @Override
        public FlatVectorsScorer getFlatVectorScorer(String field) {
            return SCORER;
        }
    }
}
