package io.chroma.core.internal.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What {@link RocksKvStore#open} pays for verifying every SST block checksum: a 100k-record store
 * of 384-d vectors (1,536 bytes each) with a ~200-byte document, as the engine lays it out.
 * Prints the open time, the verification alone, and the store size. Warm page cache (just
 * written); a cold cache adds reading the files once.
 *
 * <p>{@code ./mvnw -B -pl chroma-core -am verify -Dtest=VerifyOnOpenBenchmark -Dchroma.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "chroma.bench", matches = "true")
class VerifyOnOpenBenchmark {
    private static final int RECORDS = Integer.getInteger("chroma.bench.records", 100_000);
    private static final int DIM = 384;

    @TempDir
    Path tmp;

    @Test
    void verifyChecksumCostOn100kRecords() throws Exception {
        Path dir = tmp.resolve("rocksdb");
        Random r = new Random(1);
        try (RocksKvStore kv = RocksKvStore.open(dir)) {
            for (int from = 0; from < RECORDS; from += 1000) {
                try (KvStore.Batch b = kv.batch()) {
                    for (int i = from; i < Math.min(RECORDS, from + 1000); i++) {
                        ByteBuffer v = ByteBuffer.allocate(DIM * 4 + 220);
                        for (int d = 0; d < DIM; d++) {
                            v.putFloat(r.nextFloat());
                        }
                        byte[] doc = new byte[220];
                        r.nextBytes(doc);
                        v.put(doc);
                        b.put(KvStore.Cf.RECORDS, ByteBuffer.allocate(16).putLong(1).putLong(i).array(), v.array());
                        b.put(KvStore.Cf.IDS, ("id-" + i).getBytes(), ByteBuffer.allocate(8).putLong(i).array());
                    }
                    b.commit();
                }
            }
        }
        long bytes;
        try (var s = Files.list(dir)) {
            bytes = s.mapToLong(p -> p.toFile().length()).sum();
        }
        long bestOpen = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            RocksKvStore kv = RocksKvStore.open(dir);
            bestOpen = Math.min(bestOpen, System.nanoTime() - t0);
            kv.close();
        }
        // the verification alone, on a plain RocksDB handle
        long bestVerify = Long.MAX_VALUE;
        List<ColumnFamilyDescriptor> cfs = new ArrayList<>();
        try (Options o = new Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(o, dir.toString())) {
                cfs.add(new ColumnFamilyDescriptor(name));
            }
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions o = new DBOptions(); RocksDB db = RocksDB.open(o, dir.toString(), cfs, handles)) {
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                db.verifyChecksum();
                bestVerify = Math.min(bestVerify, System.nanoTime() - t0);
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
        System.out.printf("VerifyOnOpenBenchmark: %d records, store %.1f MB: open with verification %d ms, "
                        + "verifyChecksum alone %d ms (%.0f MB/s)%n", RECORDS, bytes / 1e6, bestOpen / 1_000_000,
                bestVerify / 1_000_000, bytes / 1e6 / (bestVerify / 1e9));
    }
}
