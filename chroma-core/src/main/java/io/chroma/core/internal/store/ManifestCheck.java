package io.chroma.core.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Checks the framing of a RocksDB MANIFEST before RocksDB reads it. RocksDB 10.10's reader spun
 * forever, at 100 % CPU inside {@code RocksDB.open}, on a MANIFEST whose bit flips turned one record
 * type into a "recyclable" one (found by {@code StoreCorruptionTest}, seed 27869021682366); native code
 * cannot be interrupted, so the store must be refused before it is opened.
 *
 * <p>The format (RocksDB's log format): 32 KiB blocks of records, each a 7-byte header (masked CRC32C
 * of type and payload, little-endian length, type) and its payload; a block's last bytes are zero
 * padding when no header fits. A MANIFEST is written without log recycling, so only the full,
 * first, middle and last types (1-4) are valid. A record cut off by the end of the file is left to
 * RocksDB (a torn tail of a live or crashed store), as is anything after an all-zero header.
 */
final class ManifestCheck {
    private static final int BLOCK = 32 * 1024;
    private static final int HEADER = 7;
    private static final int MASK_DELTA = 0xa282ead8;

    private ManifestCheck() {
    }

    /** Null when every complete record is intact; otherwise what is wrong, and where. */
    static String problem(Path manifest) throws IOException {
        byte[] data = Files.readAllBytes(manifest);
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 0;
        while (pos + HEADER <= data.length) {
            int leftInBlock = BLOCK - pos % BLOCK;
            if (leftInBlock < HEADER) {
                pos += leftInBlock; // trailer padding
                continue;
            }
            int storedCrc = buf.getInt(pos);
            int length = Short.toUnsignedInt(buf.getShort(pos + 4));
            int type = Byte.toUnsignedInt(data[pos + 6]);
            if (storedCrc == 0 && length == 0 && type == 0) {
                return null; // zero-filled (preallocated) space: RocksDB stops here too
            }
            if (HEADER + length > leftInBlock || pos + HEADER + length > data.length) {
                return pos + HEADER + length > data.length ? null // a torn last record
                        : "a record at byte " + pos + " claims " + length + " bytes, past the end of its block";
            }
            if (type < 1 || type > 4) {
                return "a record at byte " + pos + " has type " + type + " (a MANIFEST has only types 1-4)";
            }
            CRC32C crc = new CRC32C();
            crc.update(data, pos + 6, 1 + length);
            if (mask((int) crc.getValue()) != storedCrc) {
                return "the checksum of the record at byte " + pos + " does not match";
            }
            pos += HEADER + length;
        }
        return null;
    }

    private static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }
}
