package io.chroma.core;

import io.chroma.api.Collection;
import io.chroma.api.Delete;
import io.chroma.api.Records;
import io.chroma.core.internal.index.VectorIndexFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Entry point of the second JVM some tests start: {@code probe <path>} or {@code crash <path>}. */
public final class ChildProcess {
    private ChildProcess() {
    }

    static Process launch(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ChildProcess.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[1]);
        switch (args[0]) {
            case "probe" -> {
                try (PersistentClient c = new PersistentClient(path)) {
                    System.out.println("OPENED " + c.countCollections());
                } catch (io.chroma.api.StoreInUseException e) {
                    System.out.println("IN_USE " + e.getMessage());
                    System.exit(3);
                }
            }
            case "crash" -> crash(path, factory(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /**
     * Phase 1 is written and closed cleanly (the index commits); phase 2 is acknowledged and then
     * the process halts without closing anything, as kill -9 would leave it.
     */
    /** "file" = {@link FileBackedIndex}; otherwise a name {@link VectorIndexFactory#named} understands. */
    static VectorIndexFactory factory(String name) {
        return name.equals("file") ? FileBackedIndex.FACTORY : VectorIndexFactory.named(name);
    }

    private static void crash(Path path, VectorIndexFactory factory) {
        try (PersistentClient c = new PersistentClient(path, ClientSettings.defaults(), factory)) {
            Collection col = c.createCollection("crashy");
            col.add(batch(0, 50));
        }
        PersistentClient c = new PersistentClient(path, ClientSettings.defaults(), factory);
        Collection col = c.getCollection("crashy");
        col.add(batch(50, 100));
        col.update(Records.ids("r3").metadatas(List.of(Map.of("g", 99L))).documents(List.of("updated")));
        col.delete(Delete.ids("r4", "r60"));
        col.upsert(Records.ids("r5", "r200").embeddings(new float[]{5, 5}, new float[]{200, 200})
                .metadatas(List.of(Map.of("g", 98L), Map.of("g", 97L))));
        System.out.println("ACKED");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    static Records batch(int from, int to) {
        List<String> ids = new ArrayList<>();
        List<float[]> embs = new ArrayList<>();
        List<Map<String, ?>> metas = new ArrayList<>();
        List<String> docs = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add("r" + i);
            embs.add(new float[]{i, -i});
            metas.add(Map.of("g", (long) (i % 5)));
            docs.add("document " + i);
        }
        return Records.ids(ids).embeddings(embs).metadatas(metas).documents(docs);
    }
}
