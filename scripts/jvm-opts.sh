# Sourced (POSIX sh) by ./chroma and bench/server-ctl. Memory settings of the server's JVM; see
# docs/memory.md for the measurements behind them. They come before CHROMA_JAVA_OPTS on the command
# line, and the JVM takes the last of a repeated option, so CHROMA_JAVA_OPTS="-Xms1g" wins.
# CHROMA_JVM_DEFAULTS=0 leaves everything to the JVM's own defaults.
#   chroma_jvm_opts   prints the JVM options (possibly none); exports MALLOC_ARENA_MAX
chroma_jvm_opts() {
  [ "${CHROMA_JVM_DEFAULTS:-1}" != 0 ] || return 0
  # glibc gives each thread that mallocs under contention its own 64 MiB arena and keeps what it
  # freed there; RocksDB, the JIT compilers and Netty all malloc. With two, ingest and query speed
  # did not change (bench/results/rss-20261204.md).
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
  # The JVM's default initial heap is 1/64 of RAM whatever the store needs; G1 then sizes the heap
  # for throughput and an ingest grows it to hold Lucene's indexing buffer (up to 256 MB of vectors
  # and graph). After a bulk load (an index commit covering >= 10k new records) the engine flushes
  # RocksDB's memtables and asks for one full GC (chroma.gcAfterBulkLoad), which hands that heap
  # back; the heap then stays within 30 % free (MaxHeapFreeRatio) and never below 64 MB (-Xms64m:
  # at 32 MB a query load kept G1 in back-to-back marking cycles, p99 x2). An idle server runs a
  # marking cycle after a minute without any GC. glibc gets memory free()d by native code back to
  # the OS every 5 s (TrimNativeHeapInterval). The maximum heap stays the JVM's default (1/4 of
  # RAM): merges of large indexes need it. docs/memory.md has the measurements.
  _jvm_opts="-Xms64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=60000"
  _jvm_opts="$_jvm_opts -Dchroma.gcAfterBulkLoad=true"
  # a product option from JDK 22 on (and late 21 updates): older JVMs would refuse to start
  [ "${CHROMA_JAVA_MAJOR:-0}" -lt 22 ] || _jvm_opts="$_jvm_opts -XX:TrimNativeHeapInterval=5000"
  echo "$_jvm_opts"
}
