# shellcheck shell=bash
# Shared by bin/cairn, bin/cairnctl and bin/cluster (sourced, not run).
# Finds the runtime jars (server/target/lib, or $CAIRN_HOME/lib in an image) and builds them
# with Maven when they are missing or older than the sources.

CAIRN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CAIRN_LIB="${CAIRN_HOME:-$CAIRN_ROOT/server/target}/lib"

cairn_needs_build() {
  [[ -n "${CAIRN_HOME:-}" ]] && return 1            # an installed layout is never rebuilt
  compgen -G "$CAIRN_LIB/server-*.jar" > /dev/null || return 0
  local jar
  # shellcheck disable=SC2012 # jar names are ours: server-<version>.jar
  jar="$(ls -t "$CAIRN_LIB"/server-*.jar | head -n 1)"
  [[ -n "$(find "$CAIRN_ROOT" -path '*/src/main/*' -newer "$jar" -type f -print -quit 2>/dev/null)" ]] ||
    [[ -n "$(find "$CAIRN_ROOT" -maxdepth 2 -name pom.xml -newer "$jar" -print -quit 2>/dev/null)" ]]
}

cairn_build_if_needed() {
  cairn_needs_build || return 0
  # Several launchers may start at once (three members): one builds, the others wait for it.
  mkdir -p "$CAIRN_ROOT/server/target"
  exec 9>"$CAIRN_ROOT/server/target/.build.lock"
  flock 9
  if cairn_needs_build; then
    echo "cairn: building the server module (mvn package -DskipTests)..." >&2
    (cd "$CAIRN_ROOT" && mvn -B -q ${CAIRN_MVN_OFFLINE:+-o} -pl server -am package -DskipTests) >&2 ||
      { echo "cairn: build failed" >&2; exit 1; }
  fi
  flock -u 9
  exec 9>&-
}
