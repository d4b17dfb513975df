package io.chroma.core.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Checks the framing of RocksDB's MANIFEST and write-ahead log files before RocksDB reads them.
 * RocksDB 10.10's log reader spun forever, at 100 % CPU inside {@code RocksDB.open}, on a MANIFEST
 * whose bit flips turned one record type into a "recyclable" one (found by
 * {@code StoreCorruptionTest}, seed 27869021682366), and does the same on such a WAL record; native
 * code cannot be interrupted, so the store must be refused before it is opened.
 *
 * <p>The format (RocksDB's log format): 32 KiB blocks of records, each a 7-byte header (masked CRC32C
 * of type and payload, little-endian length, type) and its payload; a block's last bytes are zero
 * padding when no header fits. A MANIFEST is written without log recycling, so only the full,
 * first, middle and last types (1-4) are valid. A record cut off by the end of the file is left to
 * RocksDB (a torn tail of a live or crashed store), as is anything after an all-zero header.
 * In a WAL only the types are checked: checksums there are RocksDB's business (its recovery mode
 * decides what a bad record means), and we never turn on log recycling either.
 */
final class LogFileCheck {
    private static final int BLOCK = 32 * 1024;
    private static final int HEADER = 7;
    private static final int MASK_DELTA = 0xa282ead8;

    private LogFileCheck() {
    }

    /** Null when every complete record of a MANIFEST is intact; otherwise what is wrong, and where. */
    static String manifestProblem(Path manifest) throws IOException {
        return problem(manifest, true);
    }

    /** Null when no complete record of a write-ahead log has a type RocksDB could loop on. */
    static String walProblem(Path wal) throws IOException {
        return problem(wal, false);
    }

    private static String problem(Path file, boolean checksums) throws IOException {
        // positional reads of one header (and, for checksums, one payload of at most a block) at a
        // time: a WAL may be hundreds of MB
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer record = ByteBuffer.allocate(BLOCK);
            long pos = 0;
            while (pos + HEADER <= size) {
                int leftInBlock = (int) (BLOCK - pos % BLOCK);
                if (leftInBlock < HEADER) {
                    pos += leftInBlock; // trailer padding
                    continue;
                }
                readFully(ch, header.clear(), pos);
                int storedCrc = header.getInt(0);
                int length = Short.toUnsignedInt(header.getShort(4));
                int type = Byte.toUnsignedInt(header.get(6));
                if (storedCrc == 0 && length == 0 && type == 0) {
                    return null; // zero-filled (preallocated) space: RocksDB stops here too
                }
                if (pos + HEADER + length > size) {
                    return null; // a torn last record
                }
                if (HEADER + length > leftInBlock) {
                    return "a record at byte " + pos + " claims " + length + " bytes, past the end of its block";
                }
                if (type < 1 || type > 4) {
                    return "a record at byte " + pos + " has type " + type + " (only types 1-4 are written)";
                }
                if (checksums) {
                    readFully(ch, record.clear().limit(1 + length), pos + 6);
                    CRC32C crc = new CRC32C();
                    crc.update(record.array(), 0, 1 + length);
                    if (mask((int) crc.getValue()) != storedCrc) {
                        return "the checksum of the record at byte " + pos + " does not match";
                    }
                }
                pos += HEADER + length;
            }
            return null;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new java.io.EOFException("at byte " + pos);
            }
            pos += n;
        }
    }

    private static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }
}
