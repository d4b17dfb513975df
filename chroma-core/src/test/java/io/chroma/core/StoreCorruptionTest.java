package io.chroma.core;

import io.chroma.api.Collection;
import io.chroma.api.Get;
import io.chroma.api.GetResult;
import io.chroma.api.Include;
import io.chroma.api.Query;
import io.chroma.api.QueryResult;
import io.chroma.api.Records;
import io.chroma.api.StoreCorruptedException;
import io.chroma.api.Where;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damages every file a persistent store keeps, one at a time and in three ways (truncate to half,
 * zero a range, flip bits), then opens the store and requires one of two outcomes:
 *
 * <ul>
 *   <li>it opens and serves every record exactly as written (embedding bit-exact, metadata,
 *       document; count; filtered gets and self queries through the vector index), which is what
 *       must happen for the derived Lucene index (rebuilt from the records) and for files RocksDB
 *       can recover from;</li>
 *   <li>it refuses to open with a {@link StoreCorruptedException} whose message names the damaged
 *       file.</li>
 * </ul>
 *
 * Anything else fails: a record lost or changed while the store opened fine, a refusal that does
 * not say which file, any other exception. A native crash would kill the test JVM and fail the
 * build. The template store is written in two sessions, so RocksDB holds data both in SST files
 * (flushed when the second session replayed the first one's WAL) and in the live WAL.
 *
 * <p>CI uses a small store; {@code -Dchroma.long=true} a larger one with more damage positions.
 */
class StoreCorruptionTest {
    private static final boolean LONG = Boolean.getBoolean("chroma.long");
    private static final int RECORDS = LONG ? 2_000 : 450;
    private static final int DIM = 16;
    private static final int MODS = 5;
    /** Damage positions per file and kind (different offsets / bits). */
    private static final int ROUNDS = LONG ? 3 : 1;

    enum Damage { TRUNCATE, ZERO, FLIP }

    @TempDir
    Path tmp;

    private final Map<String, float[]> embeddings = new TreeMap<>();
    private final Map<String, String> documents = new HashMap<>();
    private final Map<String, Map<String, Object>> metadatas = new HashMap<>();

    /** A store closed cleanly: RocksDB holds everything in SST files, the index is committed. */
    @Test
    void everyFileOfACleanlyClosedStore() throws Exception {
        damageEveryFile(false);
    }

    /**
     * A store as kill -9 leaves it (copied while open, after its last acknowledged write): the
     * second session's records are only in the WAL and in the write log the index catches up from.
     */
    @Test
    void everyFileOfAStoreLeftByACrash() throws Exception {
        damageEveryFile(true);
    }

    /**
     * Regression (found by the long run, seed 3994845770665): zeros over the last edits of the
     * MANIFEST read as a clean end, so RocksDB opened without the newest SST files, at the same
     * sequence number (an earlier edit already carried it), and served 1,300 of 2,000 records.
     */
    @Test
    void aManifestZeroedOrCutBeforeItsLastEditsIsRefused() throws Exception {
        Path template = tmp.resolve("template");
        writeTemplate(template, new Random(7), false);
        Path manifest;
        try (var files = Files.list(template.resolve("rocksdb"))) {
            manifest = template.relativize(files.filter(p -> p.getFileName().toString().startsWith("MANIFEST-"))
                    .findFirst().orElseThrow());
        }
        List<String> failures = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        int caseNo = 0;
        for (double from : new double[]{0.5, 0.6, 0.7, 0.8, 0.9}) {
            for (int keepTail : new int[]{0, 29}) {
                Path dir = tmp.resolve("manifest-" + caseNo++);
                copyTree(template, dir);
                long len = Files.size(dir.resolve(manifest));
                long at = (long) (len * from);
                try (RandomAccessFile f = new RandomAccessFile(dir.resolve(manifest).toFile(), "rw")) {
                    f.seek(at);
                    f.write(new byte[(int) Math.max(0, len - keepTail - at)]);
                }
                outcomes.add(openAndCheck(dir, manifest, manifest + " zeroed from " + at + " to " + (len - keepTail)
                        + " of " + len, false, failures));
                deleteTree(dir);
            }
        }
        System.out.println("StoreCorruptionTest MANIFEST zeroed towards its end: " + outcomes);
        assertThat(failures).isEmpty();
        assertThat(outcomes).contains("refused");
    }

    private void damageEveryFile(boolean crashed) throws Exception {
        long seed = Long.getLong("chroma.corruption.seed", System.nanoTime());
        String name = crashed ? "crashed" : "clean";
        System.out.println("StoreCorruptionTest " + name + ": seed " + seed + " (-Dchroma.corruption.seed=" + seed + ")");
        Random random = new Random(seed);
        Path template = tmp.resolve("template");
        writeTemplate(template, random, crashed);

        List<Path> files;
        try (var walk = Files.walk(template)) {
            files = walk.filter(Files::isRegularFile).map(template::relativize).sorted().toList();
        }
        if (!LONG) {
            files = ciSubset(files, crashed, random);
        }
        List<String> failures = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        int tried = 0;
        int caseNo = 0;
        for (Path rel : files) {
            long size = Files.size(template.resolve(rel));
            if (size == 0) {
                continue; // LOCK, an empty WAL: nothing to damage
            }
            for (Damage damage : Damage.values()) {
                for (int round = 0; round < (damage == Damage.TRUNCATE ? 1 : ROUNDS); round++) {
                    Path dir = tmp.resolve("case-" + caseNo++);
                    copyTree(template, dir);
                    String how = apply(dir.resolve(rel), damage, random);
                    String label = name + " " + rel + " " + how;
                    // A WAL cut short looks exactly like the torn tail a crash leaves (no record
                    // in it says more should follow), so it may lose the newest writes, but only
                    // as whole batches from the end: never a half batch or a changed record.
                    boolean tailLossAllowed = crashed && damage == Damage.TRUNCATE && rel.toString().endsWith(".log");
                    String outcome = openAndCheck(dir, rel, label, tailLossAllowed, failures);
                    outcomes.merge(kind(rel) + " " + damage + " -> " + outcome, 1, Integer::sum);
                    tried++;
                    deleteTree(dir);
                }
            }
        }
        // Small segments keep Lucene's per-format files (.vec/.vex/.vem vectors, .fnm, .doc,
        // .tim...) inside the compound file: damage each of those where it sits in the .cfs.
        // CI: the vector files; long run: all of them.
        for (Path rel : files) {
            if (!rel.toString().endsWith(".cfs")) {
                continue;
            }
            Path cfe = template.resolve(rel.toString().replaceAll("\\.cfs$", ".cfe"));
            for (Map.Entry<String, long[]> sub : compoundEntries(cfe).entrySet()) {
                String ext = sub.getKey().substring(sub.getKey().lastIndexOf('.')); // "_Lucene99..._0.vec"
                if (!LONG && !List.of(".vec", ".vex", ".vem").contains(ext)) {
                    continue;
                }
                long offset = sub.getValue()[0], length = sub.getValue()[1];
                for (Damage damage : Damage.values()) {
                    Path dir = tmp.resolve("case-" + caseNo++);
                    copyTree(template, dir);
                    String how = applyInRange(dir.resolve(rel), damage, offset, length, random);
                    String label = name + " " + rel + " [" + sub.getKey() + "] " + how;
                    String outcome = openAndCheck(dir, rel, label, false, failures);
                    outcomes.merge("lucene *" + ext + " (in .cfs) " + damage + " -> " + outcome, 1, Integer::sum);
                    tried++;
                    deleteTree(dir);
                }
            }
        }
        System.out.println("StoreCorruptionTest " + name + ": " + files.size() + " files, " + tried
                + " damaged stores opened");
        outcomes.forEach((k, v) -> System.out.println("  " + k + ": " + v));
        assertThat(failures).as("damaged stores that were neither served intact nor refused by file name").isEmpty();
        assertThat(tried).isGreaterThanOrEqualTo(crashed ? 12 : 30);
    }

    /**
     * CI damages one file of each kind (picked by the seed); the crash image only the RocksDB kinds
     * whose content differs from a clean close (WAL, MANIFEST, CURRENT, SST). The long run damages
     * every file of both.
     */
    private static List<Path> ciSubset(List<Path> files, boolean crashed, Random random) {
        Map<String, List<Path>> byKind = new TreeMap<>();
        for (Path f : files) {
            byKind.computeIfAbsent(kind(f), k -> new ArrayList<>()).add(f);
        }
        List<Path> out = new ArrayList<>();
        for (var e : byKind.entrySet()) {
            boolean wanted = !crashed || List.of("rocksdb *.log", "rocksdb MANIFEST", "rocksdb CURRENT", "rocksdb *.sst")
                    .contains(e.getKey());
            if (wanted) {
                out.add(e.getValue().get(random.nextInt(e.getValue().size())));
            }
        }
        return out;
    }

    /** Opens the damaged store; returns "served" or "refused", or records a failure. */
    private String openAndCheck(Path dir, Path damaged, String label, boolean tailLossAllowed, List<String> failures) {
        PersistentClient client;
        try {
            client = new PersistentClient(dir);
        } catch (StoreCorruptedException e) {
            if (!String.valueOf(e.getMessage()).contains(damaged.getFileName().toString())) {
                failures.add(label + ": refused without naming the file: " + e.getMessage());
                return "refused-unnamed";
            }
            return "refused";
        } catch (Throwable t) {
            failures.add(label + ": open failed with " + t);
            return "error";
        }
        try (client) {
            String problem = check(client, tailLossAllowed);
            if (problem != null) {
                failures.add(label + ": opened but " + problem);
                return "WRONG";
            }
            return served < embeddings.size() ? "served-without-tail" : "served";
        } catch (Throwable t) {
            failures.add(label + ": opened, then a read failed with " + t);
            return "read-error";
        }
    }

    /** Records the last check served (less than all only when tail loss was allowed). */
    private int served;

    /** Null when the store serves exactly the template's records (or a whole-batch prefix); else what differs. */
    private String check(PersistentClient client, boolean tailLossAllowed) {
        Collection col = client.getCollection("damaged");
        GetResult all = col.get(Get.all().include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS));
        served = all.size();
        Map<String, float[]> expected = embeddings;
        if (all.size() != embeddings.size()) {
            if (!tailLossAllowed || all.size() > embeddings.size() || all.size() % 100 != 0
                    || all.size() < firstSessionRecords()) {
                return "get returned " + all.size() + " records, expected " + embeddings.size();
            }
            // ids are written in order, batches of 100: the survivors must be the first ones
            expected = new TreeMap<>();
            for (int n = 0; n < all.size(); n++) {
                expected.put(id(n), embeddings.get(id(n)));
            }
        }
        for (int i = 0; i < all.size(); i++) {
            String id = all.ids().get(i);
            float[] want = expected.get(id);
            if (want == null) {
                return "unexpected record " + id;
            }
            if (!Arrays.equals(floatBits(all.embeddings().get(i)), floatBits(want))) {
                return "embedding of " + id + " changed";
            }
            if (!documents.get(id).equals(all.documents().get(i))) {
                return "document of " + id + " changed";
            }
            if (!metadatas.get(id).equals(all.metadatas().get(i))) {
                return "metadata of " + id + " changed: " + all.metadatas().get(i);
            }
        }
        if (col.count() != expected.size()) {
            return "count " + col.count() + ", get " + expected.size();
        }
        for (int mod = 0; mod < MODS; mod++) {
            List<String> got = new ArrayList<>(col.get(Get.where(Where.eq("mod", mod))).ids());
            List<String> want = new ArrayList<>();
            for (String id : expected.keySet()) {
                if (((Long) metadatas.get(id).get("mod")) == mod) {
                    want.add(id);
                }
            }
            got.sort(null);
            want.sort(null);
            if (!got.equals(want)) {
                return "filtered get mod=" + mod + " returned " + got.size() + " ids, expected " + want.size();
            }
        }
        List<String> ids = new ArrayList<>(expected.keySet());
        for (int i = 0; i < ids.size(); i += Math.max(1, ids.size() / 25)) {
            String id = ids.get(i);
            QueryResult q = col.query(Query.embeddings(expected.get(id)).nResults(1));
            if (!q.ids().get(0).equals(List.of(id))) {
                return "self query of " + id + " returned " + q.ids().get(0);
            }
        }
        return null;
    }

    private static int firstSessionRecords() {
        return RECORDS * 2 / 3 / 100 * 100;
    }
    private void writeTemplate(Path dir, Random random, boolean crashed) throws IOException {
        int firstSession = firstSessionRecords();
        try (PersistentClient c = new PersistentClient(dir)) {
            Collection col = c.createCollection("damaged");
            for (int from = 0; from < firstSession; from += 100) {
                col.add(batch(from, from + 100, random));
            }
            List<String> updated = new ArrayList<>();
            for (int n = 0; n < 10; n++) {
                updated.add(id(n));
                documents.put(id(n), "updated " + n);
            }
            col.update(Records.ids(updated).documents(updated.stream().map(documents::get).toList()));
        }
        // the second session only adds, in id order, so a store that lost its newest writes holds
        // exactly the first k batches
        PersistentClient c = new PersistentClient(dir);
        try {
            Collection col = c.getCollection("damaged");
            for (int from = firstSession; from < RECORDS; from += 100) {
                col.add(batch(from, Math.min(RECORDS, from + 100), random));
            }
            if (crashed) {
                // every write above has returned, so the files hold what kill -9 would leave
                Path image = dir.resolveSibling(dir.getFileName() + "-image");
                copyTree(dir, image, "LOCK", "write.lock");
                c.close();
                deleteTree(dir);
                Files.move(image, dir);
            }
        } finally {
            c.close();
        }
    }

    private Records batch(int from, int to, Random random) {
        List<String> ids = new ArrayList<>();
        List<float[]> embs = new ArrayList<>();
        List<Map<String, ?>> metas = new ArrayList<>();
        List<String> docs = new ArrayList<>();
        for (int n = from; n < to; n++) {
            float[] v = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                v[d] = random.nextFloat() * 2 - 1;
            }
            Map<String, Object> m = Map.of("n", (long) n, "mod", (long) (n % MODS), "tag", "t" + (n % 3));
            String doc = "document " + n + " with some text to fill the blocks " + random.nextLong();
            ids.add(id(n));
            embs.add(v);
            metas.add(m);
            docs.add(doc);
            embeddings.put(id(n), v);
            metadatas.put(id(n), m);
            documents.put(id(n), doc);
        }
        return Records.ids(ids).embeddings(embs).metadatas(metas).documents(docs);
    }

    private static String id(int n) {
        return String.format("r%06d", n);
    }

    private static int[] floatBits(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        return out;
    }

    /** The kind of file, for the summary: RocksDB SST, WAL, MANIFEST...; Lucene by extension. */
    static String kind(Path rel) {
        String name = rel.getFileName().toString();
        String where = rel.startsWith("rocksdb") ? "rocksdb " : "lucene ";
        if (name.startsWith("MANIFEST-")) {
            return where + "MANIFEST";
        }
        if (name.startsWith("OPTIONS-")) {
            return where + "OPTIONS";
        }
        if (name.startsWith("LOG.old")) {
            return where + "LOG.old";
        }
        if (name.startsWith("segments_")) {
            return where + "segments_N";
        }
        int dot = name.lastIndexOf('.');
        return where + (dot < 0 ? name : "*" + name.substring(dot));
    }

    /** Damages the file; returns a description with the offsets, for the failure message. */
    static String apply(Path file, Damage damage, Random random) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long len = f.length();
            switch (damage) {
                case TRUNCATE -> {
                    f.setLength(len / 2);
                    return "truncated " + len + " -> " + len / 2;
                }
                case ZERO -> {
                    int n = (int) Math.min(len, Math.max(1, Math.min(4096, len / 4)));
                    long at = len == n ? 0 : (long) (random.nextDouble() * (len - n));
                    f.seek(at);
                    f.write(new byte[n]);
                    return "zeroed " + n + " bytes at " + at + " of " + len;
                }
                case FLIP -> {
                    return flipBits(f, 0, len, random) + " of " + len;
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    /**
     * The sub-files of a compound file, by extension: [offset in the .cfs, length]. Reads the
     * .cfe table (Lucene90CompoundFormat: index header, vint count, then name, offset, length).
     */
    static Map<String, long[]> compoundEntries(Path cfe) throws IOException {
        Map<String, long[]> out = new TreeMap<>();
        try (Directory d = FSDirectory.open(cfe.getParent());
             IndexInput in = d.openInput(cfe.getFileName().toString(), IOContext.READONCE)) {
            CodecUtil.readBEInt(in); // magic
            in.readString(); // codec name
            CodecUtil.readBEInt(in); // version
            in.skipBytes(org.apache.lucene.util.StringHelper.ID_LENGTH);
            in.skipBytes(in.readByte() & 0xFF); // suffix
            int n = in.readVInt();
            for (int i = 0; i < n; i++) {
                String id = in.readString();
                long offset = in.readLong();
                long length = in.readLong();
                out.put(id, new long[]{offset, length});
            }
        }
        return out;
    }

    /** As {@link #apply}, confined to [offset, offset + length); truncation cuts the file there. */
    static String applyInRange(Path file, Damage damage, long offset, long length, Random random) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            switch (damage) {
                case TRUNCATE -> {
                    long to = offset + length / 2;
                    f.setLength(to);
                    return "truncated to " + to + " (sub-file " + offset + "+" + length + ")";
                }
                case ZERO -> {
                    int n = (int) Math.max(1, Math.min(4096, length / 4));
                    long at = offset + (long) (random.nextDouble() * (length - n));
                    f.seek(at);
                    f.write(new byte[n]);
                    return "zeroed " + n + " bytes at " + at + " (sub-file " + offset + "+" + length + ")";
                }
                case FLIP -> {
                    return flipBits(f, offset, length, random) + " (sub-file " + offset + "+" + length + ")";
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    /** Flips three random bits in [offset, offset + length); returns "flipped bits at pos:bit ...". */
    private static String flipBits(RandomAccessFile f, long offset, long length, Random random) throws IOException {
        StringBuilder sb = new StringBuilder("flipped bits at");
        for (int i = 0; i < 3; i++) {
            long at = offset + (long) (random.nextDouble() * length);
            int bit = random.nextInt(8);
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ (1 << bit));
            sb.append(' ').append(at).append(':').append(bit);
        }
        return sb.toString();
    }

    static void copyTree(Path from, Path to, String... skip) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                if (List.of(skip).contains(p.getFileName().toString())) {
                    continue;
                }
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
