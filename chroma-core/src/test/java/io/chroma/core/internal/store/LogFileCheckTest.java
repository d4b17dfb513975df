package io.chroma.core.internal.store;

import io.chroma.api.Collection;
import io.chroma.api.Records;
import io.chroma.api.StoreCorruptedException;
import io.chroma.core.PersistentClient;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class LogFileCheckTest {

    @TempDir
    Path tmp;

    /** A store closed cleanly after a few writes; returns its MANIFEST. */
    private Path store() throws Exception {
        try (PersistentClient c = new PersistentClient(tmp)) {
            Collection col = c.createCollection("manifest");
            for (int b = 0; b < 3; b++) {
                List<String> ids = new ArrayList<>();
                List<float[]> embs = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    ids.add("r" + b + "-" + i);
                    embs.add(new float[] {b, i, 1f});
                }
                col.add(Records.ids(ids).embeddings(embs));
            }
        }
        Path rocks = tmp.resolve("rocksdb");
        String name = Files.readString(rocks.resolve("CURRENT"), StandardCharsets.ISO_8859_1).trim();
        return rocks.resolve(name);
    }

    /** Byte offsets of the records' headers. */
    private static List<Integer> headers(byte[] data) {
        List<Integer> out = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 0;
        while (pos + 7 <= data.length) {
            if (32768 - pos % 32768 < 7) {
                pos += 32768 - pos % 32768;
                continue;
            }
            out.add(pos);
            pos += 7 + Short.toUnsignedInt(buf.getShort(pos + 4));
        }
        return out;
    }

    @Test
    void anIntactManifestPasses() throws Exception {
        Path manifest = store();
        assertThat(LogFileCheck.manifestProblem(manifest)).isNull();
        assertThat(headers(Files.readAllBytes(manifest))).hasSizeGreaterThan(2);
    }

    /** The damage that made RocksDB.open spin forever: a record type turned into a recyclable one. */
    @Test
    void aRecyclableRecordTypeIsRefusedBeforeRocksDbReadsIt() throws Exception {
        Path manifest = store();
        byte[] data = Files.readAllBytes(manifest);
        int second = headers(data).get(1);
        data[second + 6] = 5;
        Files.write(manifest, data);
        assertThat(LogFileCheck.manifestProblem(manifest)).contains("type 5");
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                assertThatThrownBy(() -> new PersistentClient(tmp).close())
                        .isInstanceOf(StoreCorruptedException.class)
                        .hasMessageContaining(manifest.getFileName().toString()));
    }

    @Test
    void aFlippedPayloadByteFailsTheChecksum() throws Exception {
        Path manifest = store();
        byte[] data = Files.readAllBytes(manifest);
        data[headers(data).get(1) + 8] ^= 0x10;
        Files.write(manifest, data);
        assertThat(LogFileCheck.manifestProblem(manifest)).contains("checksum");
    }

    @Test
    void aTornLastRecordIsLeftToRocksDb() throws Exception {
        Path manifest = store();
        byte[] data = Files.readAllBytes(manifest);
        List<Integer> h = headers(data);
        int last = h.get(h.size() - 1);
        Files.write(manifest, java.util.Arrays.copyOf(data, last + 9));
        assertThat(LogFileCheck.manifestProblem(manifest)).isNull();
    }

    /** The same type damage in a write-ahead log also made RocksDB.open spin; it is refused too. */
    @Test
    void aRecyclableRecordTypeInTheWalIsRefused() throws Exception {
        Path dir = tmp.resolve("rocks");
        RocksDB.loadLibrary();
        try (Options o = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(o, dir.toString())) {
            for (int i = 0; i < 20; i++) {
                db.put(("k" + i).getBytes(StandardCharsets.UTF_8), ("value " + i).getBytes(StandardCharsets.UTF_8));
            }
        } // closed without a flush: the puts are only in the WAL
        Path wal;
        try (var files = Files.list(dir)) {
            wal = files.filter(f -> f.getFileName().toString().endsWith(".log")).filter(f -> f.toFile().length() > 0)
                    .findFirst().orElseThrow();
        }
        assertThat(LogFileCheck.walProblem(wal)).isNull();
        byte[] data = Files.readAllBytes(wal);
        data[headers(data).get(1) + 6] = 5;
        Files.write(wal, data);
        assertThat(LogFileCheck.walProblem(wal)).contains("type 5");
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                assertThatThrownBy(() -> RocksKvStore.open(dir).close())
                        .isInstanceOf(StoreCorruptedException.class)
                        .hasMessageContaining(wal.getFileName().toString()));
    }
}
