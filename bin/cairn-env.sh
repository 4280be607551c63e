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

# A class-data archive of the server's classes (AppCDS) takes about a second off every start:
# made once per build by a training run (a two-member cluster on a temporary dir that serves one
# write, so the peer transport's classes are in it too), kept beside the jars. Skipped where that
# directory is read-only or the run fails; the JVM ignores an archive it cannot use.
cairn_class_archive_opts() {
  local archive
  archive="$(dirname "$CAIRN_LIB")/cairn.jsa"
  cairn_archive_current "$archive" || cairn_make_archive "$archive" >&2 || return 0
  echo "-XX:SharedArchiveFile=$archive -Xlog:cds=off -Xlog:cds+dynamic=off"
}

cairn_archive_current() {
  [[ -s "$1" && -z "$(find "$CAIRN_LIB" -name '*.jar' -newer "$1" -print -quit)" ]]
}

cairn_make_archive() {
  local archive=$1 dir port cluster recorder peer made=1
  [[ -w "$(dirname "$archive")" ]] || return 1
  exec 8>"$archive.lock"
  flock 8
  if ! cairn_archive_current "$archive"; then
    echo "cairn: recording a class-data archive for faster starts (once per build, a few seconds)..."
    dir="$(mktemp -d)"
    port=$((20000 + RANDOM % 20000))
    cluster="training=http://127.0.0.1:$((port + 1)),training-peer=http://127.0.0.1:$((port + 3))"
    cairn_training_member training "$dir" "$port" "$cluster" -XX:ArchiveClassesAtExit="$archive.tmp" &
    recorder=$!
    cairn_training_member training-peer "$dir" $((port + 2)) "$cluster" &
    peer=$!
    for _ in $(seq 300); do
      if ! kill -0 "$recorder" 2>/dev/null || ! kill -0 "$peer" 2>/dev/null; then break; fi
      if cairn_training_write "$port"; then made=0; break; fi
      sleep 0.1
    done
    kill -TERM "$recorder" "$peer" 2>/dev/null || true
    wait "$recorder" "$peer" 2>/dev/null || true
    if [[ $made == 0 && -s "$archive.tmp" ]]; then mv "$archive.tmp" "$archive"; else made=1; rm -f "$archive.tmp"; fi
    rm -rf "$dir"
  else
    made=0
  fi
  flock -u 8
  exec 8>&-
  return "$made"
}

# cairn_training_member NAME DIR CLIENT_PORT CLUSTER [JVM option]: one member of the training run
# (client API on CLIENT_PORT, peers on the next port), logging to DIR/NAME.log.
cairn_training_member() {
  local name=$1 dir=$2 port=$3 cluster=$4
  shift 4
  # shellcheck disable=SC2086 # the JVM options are a list, split on purpose
  exec java $CAIRN_JAVA_OPTS "$@" -cp "$CAIRN_LIB/*" io.cairn.server.CairnMain \
    --name "$name" --data-dir "$dir/$name" --initial-cluster "$cluster" \
    --listen-client-urls "http://127.0.0.1:$port" --advertise-client-urls "http://127.0.0.1:$port" \
    --listen-peer-urls "http://127.0.0.1:$((port + 1))" \
    --initial-advertise-peer-urls "http://127.0.0.1:$((port + 1))" >"$dir/$name.log" 2>&1
}

# One PUT through bash's /dev/tcp (no curl needed); true once the member acknowledges it.
cairn_training_write() {
  local answer
  { exec 7<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'PUT /v2/keys/training HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\nConnection: close\r\n\r\nvalue=1' >&7
  answer="$(head -n 1 <&7)"
  exec 7>&-
  [[ "$answer" == *" 201 "* || "$answer" == *" 200 "* ]]
}

# RocksDB's JNI library ships inside its jar, and RocksDB copies it (15 MB) to a temporary file
# on every start unless java.library.path already holds it. Unpacked once per build beside the
# jars, it loads from there; skipped where that directory is read-only, unzip is missing or the
# platform is one we do not name (RocksDB then unpacks it itself, as before).
cairn_native_lib_opts() {
  local name jar home dir
  case "$(uname -m)" in
    x86_64) name=librocksdbjni-linux64.so ;;
    aarch64) name=librocksdbjni-linux-aarch64.so ;;
    *) return 0 ;;
  esac
  ldd --version 2>&1 | grep -qi musl && return 0   # musl needs RocksDB's -musl build
  jar="$(compgen -G "$CAIRN_LIB/rocksdbjni-*.jar" | head -n 1)"
  home="$(dirname "$CAIRN_LIB")"
  dir="$home/native"
  [[ -n "$jar" ]] || return 0
  if [[ ! -s "$dir/$name" || "$jar" -nt "$dir/$name" ]]; then
    [[ -w "$home" ]] && command -v unzip >/dev/null || return 0
    mkdir -p "$dir"
    # several launchers may start at once: each unpacks to its own file, the rename is atomic
    if unzip -p "$jar" "$name" >"$dir/$name.$$" && [[ -s "$dir/$name.$$" ]]; then
      mv -f "$dir/$name.$$" "$dir/$name"
    else
      rm -f "$dir/$name.$$"
      return 0
    fi
  fi
  echo "-Djava.library.path=$dir:/usr/java/packages/lib:/usr/lib64:/lib64:/lib:/usr/lib"
}
