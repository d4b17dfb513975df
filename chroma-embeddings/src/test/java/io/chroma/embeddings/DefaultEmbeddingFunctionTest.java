package io.chroma.embeddings;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.Space;
import io.chroma.api.internal.EmbeddingFunctions;
import io.chroma.embeddings.internal.MiniLmL6V2;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DefaultEmbeddingFunctionTest {
    static final DefaultEmbeddingFunction EF = new DefaultEmbeddingFunction();

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    static double norm(float[] a) {
        double s = 0;
        for (float x : a) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    static List<String> referenceTexts() throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                DefaultEmbeddingFunctionTest.class.getResourceAsStream("/reference-texts.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.startsWith("#") && !line.isEmpty()) {
                    out.add(line);
                }
            }
        }
        return out;
    }

    @Test
    void helloWorldIsChromasVector() {
        float[] v = EF.embed(List.of("hello world")).get(0);

        assertThat(v).hasSize(384);
        // Chroma's DefaultEmbeddingFunction()(["hello world"])[0][:3]
        assertThat(v[0]).isCloseTo(-0.0344773f, within(1e-6f));
        assertThat(v[1]).isCloseTo(0.0310232f, within(1e-6f));
        assertThat(v[2]).isCloseTo(0.0067350f, within(1e-6f));
        assertThat(norm(v)).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void matchesAnIndependentImplementationOnOver100Texts() throws IOException {
        List<String> texts = referenceTexts();
        assertThat(texts).hasSizeGreaterThanOrEqualTo(100);
        // the comparison is only meaningful below the truncation length
        assertThat(MiniLmL6V2.shared().tokenize(texts)).allSatisfy(ids -> assertThat(ids.length).isLessThan(256));

        List<float[]> ours = EF.embed(texts);
        AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
        double worst = 1;
        String worstText = null;
        for (int i = 0; i < texts.size(); i++) {
            float[] theirs = reference.embed(texts.get(i)).content().vector();
            double c = cosine(ours.get(i), theirs);
            if (c < worst) {
                worst = c;
                worstText = texts.get(i);
            }
            assertThat(c).as("cosine for %s", texts.get(i)).isGreaterThanOrEqualTo(0.9999);
        }
        // surefire keeps this in target/surefire-reports/*-output.txt
        System.out.printf("reference check: %d texts, min cosine %.9f (max deviation %.3e) on '%s'%n",
                texts.size(), worst, 1 - worst, worstText);
    }

    @Test
    void closeMeaningsRankAboveUnrelatedOnes() {
        String[][] triples = {
                {"The cat sat on the mat.", "A kitten is resting on a rug.", "Stock markets fell sharply today."},
                {"How do I reset my password?", "I forgot my login credentials, how can I recover my account?",
                        "The orchestra performed Beethoven's Ninth Symphony."},
                {"Solar panels convert sunlight into electricity.", "Photovoltaic cells generate power from light.",
                        "My grandmother bakes apple pie every Sunday."},
                {"The football match ended in a draw.", "The soccer game finished level.",
                        "Quantum computers use qubits."},
        };
        for (String[] t : triples) {
            List<float[]> v = EF.embed(List.of(t));
            assertThat(cosine(v.get(0), v.get(1))).as("%s ~ %s", t[0], t[1])
                    .isGreaterThan(cosine(v.get(0), v.get(2)) + 0.2);
        }
    }

    @Test
    void truncatesAt256Tokens() {
        String longText = String.join(" ", IntStream.range(0, 400).mapToObj(i -> "word" + (i % 50)).toList());
        List<long[]> ids = MiniLmL6V2.shared().tokenize(List.of(longText, longText + " and then a completely different ending"));
        assertThat(ids.get(0)).hasSize(256);
        assertThat(ids.get(0)[0]).isEqualTo(101L);   // [CLS]
        assertThat(ids.get(0)[255]).isEqualTo(102L); // [SEP]

        List<float[]> v = EF.embed(List.of(longText, longText + " and then a completely different ending",
                "different text entirely"));
        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(0.999999);
        assertThat(cosine(v.get(0), v.get(2))).isLessThan(0.9);
    }

    @Test
    void batchingAndOrderDoNotChangeVectors() throws IOException {
        // 70 texts of mixed length: 3 batches, sorted by length inside; results must come back in input order
        List<String> texts = referenceTexts().subList(0, 70);
        List<float[]> together = EF.embed(texts);
        for (int i : new int[] {0, 1, 33, 69, 68, 40}) {
            float[] alone = EF.embed(List.of(texts.get(i))).get(0);
            assertThat(cosine(together.get(i), alone)).as(texts.get(i)).isGreaterThan(0.999999);
        }
        // several tokenizing chunks (of 16 here; 1024 in use): order must survive the chunk boundaries
        List<float[]> chunked = MiniLmL6V2.shared().embed(texts, 16);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(cosine(chunked.get(i), together.get(i))).as(texts.get(i)).isGreaterThan(0.999999);
        }
    }

    @Test
    void safeToShareBetweenThreads() throws Exception {
        List<String> texts = List.of("alpha beta", "gamma delta epsilon", "the quick brown fox", "zeta");
        List<float[]> expected = EF.embed(texts);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<float[]>>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> new DefaultEmbeddingFunction().embed(texts)));
            }
            for (Future<List<float[]>> f : futures) {
                List<float[]> got = f.get();
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(cosine(got.get(i), expected.get(i))).isGreaterThan(0.999999);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void edgeInputs() {
        assertThat(EF.embed(List.of())).isEmpty();
        float[] empty = EF.embed(List.of("")).get(0);
        assertThat(empty).hasSize(384);
        assertThat(norm(empty)).isCloseTo(1.0, within(1e-5));
        assertThatThrownBy(() -> EF.embed(null)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> EF.embed(Arrays.asList("ok", null)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("index 1");
        assertThat(EF.embedQuery(List.of("hello world")).get(0)).containsExactly(EF.embed(List.of("hello world")).get(0));
    }

    /**
     * DJL would download a GPU build of its tokenizer library when it sees CUDA; we pin the CPU
     * build, which it copies out of its own jar. (Checked by hand too: embedding works in a
     * network namespace with no interfaces and an empty home folder.)
     */
    @Test
    void tokenizerLibraryIsTheCpuBuildCopiedFromTheJar() throws IOException {
        EF.embed(List.of("x"));
        if (System.getenv("RUST_FLAVOR") == null) {
            assertThat(System.getProperty("RUST_FLAVOR")).isEqualTo("cpu");
        }
        assumeTrue("Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch")));
        byte[] shipped;
        try (var in = ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.class.getClassLoader()
                .getResourceAsStream("native/lib/linux-x86_64/cpu/libtokenizers.so")) {
            assertThat(in).isNotNull();
            shipped = in.readAllBytes();
        }
        Path cache = ai.djl.util.Utils.getEngineCacheDir("tokenizers");
        List<Path> copies;
        try (var files = Files.walk(cache)) {
            copies = files.filter(p -> p.getFileName().toString().equals("libtokenizers.so")).toList();
        }
        assertThat(copies).isNotEmpty().allSatisfy(p -> {
            assertThat(p.getParent().getFileName().toString()).contains("-cpu-");
            assertThat(Files.readAllBytes(p)).isEqualTo(shipped);
        });
    }

    @Test
    void describedAsChromaDoesAndRebuiltFromTheRecord() {
        assertThat(EF.name()).isEqualTo("default");
        assertThat(EF.config()).isEmpty();
        assertThat(EF.defaultSpace()).isEqualTo(Space.L2);
        assertThat(EF.maxTokens()).isEqualTo(256);
        assertThat(EF.dimensions()).isEqualTo(384);

        Map<String, Object> descriptor = CollectionConfiguration.describe(EF);
        assertThat(descriptor).isEqualTo(Map.of("type", "known", "name", "default", "config", Map.of()));
        EmbeddingFunction rebuilt = EmbeddingFunctions.rebuild(descriptor);
        assertThat(rebuilt).isEqualTo(EF);

        EmbeddingFunction onnx = EmbeddingFunctions.rebuild(Map.of("type", "known", "name", "onnx_mini_lm_l6_v2",
                "config", Map.of("preferred_providers", List.of("CPUExecutionProvider"))));
        assertThat(onnx.name()).isEqualTo("onnx_mini_lm_l6_v2");
        assertThat(onnx.defaultSpace()).isEqualTo(Space.COSINE);
        assertThat(onnx.embed(List.of("hello world")).get(0)[0]).isCloseTo(-0.0344773f, within(1e-6f));
    }
}
