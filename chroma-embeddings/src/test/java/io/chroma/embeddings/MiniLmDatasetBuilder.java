package io.chroma.embeddings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Builds the benchmark's real-embedding data set (issue: "100k distinct sentences from text
 * available offline, embedded once with our default embedding function, cached"): English sentences
 * cut from the documentation Debian ships in {@code /usr/share/doc} (READMEs, changelogs, copyright
 * texts, plain or gzipped) and its manual pages (troff markup stripped), de-duplicated, shuffled with a fixed seed, and embedded with
 * all-MiniLM-L6-v2 ({@link DefaultEmbeddingFunction}).
 *
 * <p>Writes {@code OUT_DIR/minilm-sentences.txt} (one sentence per line: rows 0..n-1 are the
 * records, the rest the queries) and {@code OUT_DIR/minilm-384.f32} (raw little-endian float32,
 * 384 per row, same order): the format {@code bench/run --vectors} reads. Resumable: re-running
 * keeps the sentence file and embeds only the rows the vector file does not have yet.
 *
 * <p>Usage: {@code bench/minilm-dataset [--n 100000] [--queries 1000] [--out bench/work]}.
 */
public final class MiniLmDatasetBuilder {

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z])");
    private static final Pattern WORD = Pattern.compile("[A-Za-z][a-z]+");
    private static final Pattern TROFF_ESCAPE = Pattern.compile("\\\\(f[A-Z0-9]|f\\[[A-Z]*\\]|\\([a-z]{2}|s[-+]?\\d|.)");
    private static final int BATCH = 256;

    private MiniLmDatasetBuilder() {
    }

    public static void main(String[] args) throws IOException {
        int n = 100_000;
        int queries = 1_000;
        Path out = Path.of("bench/work");
        List<Path> roots = new ArrayList<>(List.of(Path.of("/usr/share/doc"), Path.of("/usr/share/man/man1"),
                Path.of("/usr/share/man/man3"), Path.of("/usr/share/man/man5"), Path.of("/usr/share/man/man7"),
                Path.of("/usr/share/man/man8")));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n" -> n = Integer.parseInt(args[++i]);
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--source" -> roots.add(Path.of(args[++i]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--n N --queries Q --out DIR --source DIR)");
            }
        }
        Files.createDirectories(out);
        Path sentencesFile = out.resolve("minilm-sentences.txt");
        Path vectorsFile = out.resolve("minilm-384.f32");
        int total = n + queries;

        List<String> sentences;
        if (Files.exists(sentencesFile)) {
            sentences = Files.readAllLines(sentencesFile, StandardCharsets.UTF_8);
            if (sentences.size() < total) {
                throw new IllegalStateException(sentencesFile + " holds " + sentences.size()
                        + " sentences, fewer than " + total + ": delete it (and the vector file) to rebuild");
            }
            sentences = sentences.subList(0, total);
            System.out.println("sentences: " + sentences.size() + " from " + sentencesFile);
        } else {
            sentences = collect(roots, total);
            Files.write(sentencesFile, sentences, StandardCharsets.UTF_8);
            System.out.println("sentences: " + sentences.size() + " written to " + sentencesFile);
        }

        long rowBytes = 384L * 4;
        long have = Files.exists(vectorsFile) ? Files.size(vectorsFile) / rowBytes : 0;
        if (have * rowBytes != (Files.exists(vectorsFile) ? Files.size(vectorsFile) : 0)) {
            // a partial row from an interrupted run: cut it off and redo that row
            try (var ch = java.nio.channels.FileChannel.open(vectorsFile, StandardOpenOption.WRITE)) {
                ch.truncate(have * rowBytes);
            }
        }
        if (have >= total) {
            System.out.println("vectors: all " + total + " rows already in " + vectorsFile);
            return;
        }
        DefaultEmbeddingFunction ef = new DefaultEmbeddingFunction();
        long t0 = System.nanoTime();
        try (OutputStream os = Files.newOutputStream(vectorsFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (int from = (int) have; from < total; from += BATCH) {
                int to = Math.min(total, from + BATCH);
                List<float[]> vs = ef.embed(sentences.subList(from, to));
                ByteBuffer buf = ByteBuffer.allocate((int) ((to - from) * rowBytes)).order(ByteOrder.LITTLE_ENDIAN);
                for (float[] v : vs) {
                    for (float x : v) {
                        buf.putFloat(x);
                    }
                }
                os.write(buf.array());
                os.flush();
                double s = (System.nanoTime() - t0) / 1e9;
                if ((to / BATCH) % 20 == 0 || to == total) {
                    System.out.printf("vectors: %d / %d rows, %.0f sentences/s%n", to, total, (to - have) / s);
                }
            }
        }
        System.out.println("vectors: " + total + " rows in " + vectorsFile);
    }

    /** Distinct sentences, in a seeded random order (so records and queries are alike). */
    static List<String> collect(List<Path> roots, int wanted) throws IOException {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                try {
                    for (String s : sentencesOf(f)) {
                        byKey.putIfAbsent(s.toLowerCase(java.util.Locale.ROOT), s);
                    }
                } catch (IOException | UncheckedIOException e) {
                    // unreadable or not text: skip it
                }
            }
        }
        List<String> all = new ArrayList<>(byKey.values());
        if (all.size() < wanted) {
            throw new IllegalStateException("found only " + all.size() + " distinct sentences in " + roots
                    + ", need " + wanted + ": add --source DIR with more English text");
        }
        Collections.shuffle(all, new Random(42));
        System.out.println("distinct sentences found: " + all.size());
        return new ArrayList<>(all.subList(0, wanted));
    }

    private static List<String> sentencesOf(Path f) throws IOException {
        long size = Files.size(f);
        if (size == 0 || size > 4 << 20) {
            return List.of();
        }
        String name = f.getFileName().toString();
        if (name.endsWith(".gz") ? false : name.matches(".*\\.(png|jpg|gif|pdf|svg|ico|woff2?|ttf|z|bz2|xz|zip|jar|class|so)$")) {
            return List.of();
        }
        boolean troff = f.toString().contains("/man/");
        StringBuilder text = new StringBuilder();
        try (InputStream in = name.endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(f)) : Files.newInputStream(f);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.indexOf('\0') >= 0) {
                    return List.of(); // binary
                }
                if (troff) {
                    // manual pages: drop macro lines and comments, strip font and character escapes
                    if (line.startsWith(".") || line.startsWith("'")) {
                        continue;
                    }
                    line = TROFF_ESCAPE.matcher(line.replace("\\-", "-").replace("\\&", "")).replaceAll("");
                }
                text.append(line.strip()).append(' ');
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : SENTENCE_END.split(text.toString().replaceAll("\\s+", " "))) {
            s = s.strip();
            if (looksLikeProse(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** 6 to 40 words, mostly letters, no addresses or markup: sentences a RAG corpus would hold. */
    static boolean looksLikeProse(String s) {
        if (s.length() < 30 || s.length() > 300 || s.contains("http") || s.contains("@") || s.contains("--")
                || s.contains("==") || s.contains("**")) {
            return false;
        }
        String[] words = s.split(" ");
        if (words.length < 6 || words.length > 40) {
            return false;
        }
        int wordLike = 0;
        for (String w : words) {
            if (WORD.matcher(w.replaceAll("[,;:.!?()\"']", "")).matches()) {
                wordLike++;
            }
        }
        return wordLike >= words.length * 0.8;
    }
}
