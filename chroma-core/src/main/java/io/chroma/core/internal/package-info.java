/**
 * The embedded engine behind {@code PersistentClient} and {@code EphemeralClient}.
 *
 * <h2>Data directory</h2>
 * <pre>
 * &lt;path&gt;/rocksdb/                 RocksDB: the truth (see {@link io.chroma.core.internal.RecordStore} for keys)
 * &lt;path&gt;/index/&lt;collection-uuid&gt;/  one derived index per collection, rebuildable from RocksDB
 * </pre>
 *
 * <h2>Write path</h2>
 * validate and embed outside any lock → take the collection's write lock → look up ids (one
 * multiGet) → one RocksDB {@code WriteBatch} holding the records, the id map, a write-log entry
 * (op seq → touched record seqs) and the collection row with its new counters → apply to the
 * index → release. Every N ops the index commits durably (recording the op seq) and the log up to
 * it is truncated. On open, an index whose commit is behind is caught up from the log; one that is
 * missing, unreadable, older than the truncated log, or whose size disagrees with the store, is
 * rebuilt from RocksDB.
 *
 * <h2>Index implementations</h2>
 * {@link io.chroma.core.internal.index.VectorIndexFactory} picks the index: {@code -Dchroma.index=lucene}
 * (the default) or {@code exact} (brute force, the test oracle); tests pass a factory explicitly.
 */
package io.chroma.core.internal;
