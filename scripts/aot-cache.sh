# Sourced (POSIX sh) by ./chroma and bench/server-ctl after find-jdk.sh. Start-up time of the server
# is mostly the JVM loading and linking Micronaut, Netty, Lucene and RocksDB classes; JDK 25's
# ahead-of-time cache (JEP 483/514/515) keeps them loaded and linked, with method profiles, in a
# file next to the jar. The first `run` of a new jar trains it (the cache is written when that server
# exits normally, e.g. Ctrl-C or SIGTERM); later runs start from it. CHROMA_AOT=0 turns it off.
#   chroma_aot_opts JAR SUBCOMMAND   prints the JVM options to add (possibly none)
chroma_aot_opts() {
  [ "${CHROMA_AOT:-1}" != 0 ] || return 0
  [ "${CHROMA_JAVA_MAJOR:-0}" -ge 25 ] || return 0
  [ "$2" = run ] || return 0
  _aot_cache="${1%.jar}.aot"
  # quiet: the JVM reports classes it cannot cache (optional Netty/Micronaut features) as warnings
  if [ -f "$_aot_cache" ] && [ "$_aot_cache" -nt "$1" ]; then
    echo "-XX:AOTCache=$_aot_cache -Xlog:aot*=off -Xlog:cds*=off"
  elif [ -w "$(dirname "$1")" ]; then
    echo "-XX:AOTCacheOutput=$_aot_cache -Xlog:aot*=off -Xlog:cds*=off"
  fi
}
