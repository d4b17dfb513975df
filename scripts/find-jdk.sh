# Sourced (POSIX sh) by ./mvnw, ./chroma and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Lucene 10 needs Java 21; on our machines the default `java` is 17 with a newer JDK beside it,
# so we look in the usual places rather than trusting PATH.

chroma_java_major() { # prints the feature version of the java binary given, or nothing
  # The JDK's `release` file names its version: reading it costs nothing, while starting the JVM
  # to ask took 0.3 s on an idle machine and 3 s on a loaded one, on every ./chroma start. Read
  # with the shell's own `read` and pattern removal: sed, head and dirname per candidate JDK took
  # 0.2 s of every start (and of the restart the benchmark times).
  _cj_rel="${1%/bin/java}/release"
  if [ -f "$_cj_rel" ]; then
    while IFS= read -r _cj_line || [ -n "$_cj_line" ]; do
      case $_cj_line in
        JAVA_VERSION=\"[0-9]*)
          _cj_v=${_cj_line#JAVA_VERSION=\"}
          _cj_v=${_cj_v%%[!0-9]*}
          # Java 8 and older call themselves 1.x: too old either way
          echo "$_cj_v"; return ;;
      esac
    done <"$_cj_rel"
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}

chroma_find_jdk() {
  _cj_best=""; _cj_best_major=0
  # the user's JAVA_HOME wins when it is new enough
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    _cj_m=$(chroma_java_major "$JAVA_HOME/bin/java")
    if [ -n "$_cj_m" ] && [ "$_cj_m" -ge 21 ]; then _cj_best=$JAVA_HOME; _cj_best_major=$_cj_m; fi
  fi
  if [ -z "$_cj_best" ]; then
    _cj_path_java=""
    if command -v java >/dev/null 2>&1; then
      _cj_path_java=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    fi
    _cj_restore_f=""; case $- in *f*) _cj_restore_f=1; set +f;; esac
    for _cj_d in "$_cj_path_java" /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
        "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
      [ -n "$_cj_d" ] && [ -x "$_cj_d/bin/java" ] && [ -x "$_cj_d/bin/javac" ] || continue
      _cj_m=$(chroma_java_major "$_cj_d/bin/java")
      [ -n "$_cj_m" ] || continue
      if [ "$_cj_m" -gt "$_cj_best_major" ]; then _cj_best=$_cj_d; _cj_best_major=$_cj_m; fi
    done
    [ -n "$_cj_restore_f" ] && set -f
  fi
  if [ -z "$_cj_best" ] || [ "$_cj_best_major" -lt 21 ]; then
    echo "error: this project needs a JDK 21 or newer (Lucene 10 requires it)." >&2
    echo "       newest found: ${_cj_best:-none} (Java ${_cj_best_major})." >&2
    echo "       Install one (e.g. 'apt-get install openjdk-21-jdk', or Temurin 21/25) or set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME=$_cj_best; export JAVA_HOME
  CHROMA_JAVA_MAJOR=$_cj_best_major
  PATH="$JAVA_HOME/bin:$PATH"; export PATH
}

chroma_find_jdk
