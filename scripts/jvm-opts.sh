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
  # The JVM's default initial heap is 1/64 of RAM and G1 then sized the heap for throughput: 1.3 GB
  # committed at 100k x 384 with 13 MB live. Start small, let GC take up to 20 % of the time before
  # the heap grows (GCTimeRatio 4, G1's default is 12), give back what a marking cycle finds free
  # (MaxHeapFreeRatio), run such a cycle after a minute without any GC (an idle server), and hand
  # memory free()d by native code back to the OS every 5 s (TrimNativeHeapInterval).
  # The maximum heap stays the JVM's default (1/4 of RAM): merges of large indexes need it.
  _jvm_opts="-Xms32m -XX:GCTimeRatio=4 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=60000"
  # a product option from JDK 22 on (and late 21 updates): older JVMs would refuse to start
  [ "${CHROMA_JAVA_MAJOR:-0}" -lt 22 ] || _jvm_opts="$_jvm_opts -XX:TrimNativeHeapInterval=5000"
  echo "$_jvm_opts"
}
