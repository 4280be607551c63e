# syntax=docker/dockerfile:1
# Cairn: a drop-in replacement for etcd's v2 API. The image provides `etcd` and `etcdctl`
# (Cairn's server and CLI) so manifests written for etcd work with only `image:` changed.

# Base images are arguments only so that offline CI can substitute local copies
# (k8s/scripts/build-image.sh); the defaults are what a normal build uses.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

# ---- build stage: compile and package the server with Maven ----
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml ./
COPY raft-core raft-core
COPY kv-store kv-store
COPY v2-http-api v2-http-api
COPY server server
COPY k8s/pom.xml k8s/pom.xml
COPY jepsen/pom.xml jepsen/pom.xml
COPY bench/pom.xml bench/pom.xml
COPY compat/pom.xml compat/pom.xml
# RocksDB's JNI library is unpacked here, once, for the JVM to load from java.library.path:
# otherwise RocksDB copies 15 MB to /tmp at every start, and a container killed before its clean
# exit leaves the copy in the pod's /tmp emptyDir, which outlives the container.
RUN mvn -B -ntp -q -pl server -am -DskipTests package \
 && mkdir -p /out/lib /out/native \
 && cp server/target/lib/*.jar /out/lib/ \
 && case "$(uname -m)" in \
      x86_64) lib=librocksdbjni-linux64.so ;; \
      aarch64) lib=librocksdbjni-linux-aarch64.so ;; \
      *) lib= ;; \
    esac \
 && if [ -n "$lib" ]; then cd /out/native && jar xf /out/lib/rocksdbjni-*.jar "$lib" && test -s "$lib"; fi

# ---- runtime stage: a JRE, the jars, and the launchers ----
FROM ${RUNTIME_IMAGE}
# A fixed numeric, non-root user: pods set runAsUser/fsGroup to the same id.
RUN groupadd --system --gid 10001 cairn \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/cairn --no-create-home cairn \
 && mkdir -p /var/lib/cairn /var/run/etcd \
 && chown 10001:10001 /var/lib/cairn /var/run/etcd
COPY --from=build /out/lib /opt/cairn/lib
COPY --from=build /out/native /opt/cairn/native
COPY docker/etcd docker/etcdctl docker/cairn-entrypoint docker/cairn-backup /usr/local/bin/
# The JVM sizes its heap from the container's memory limit; RocksDB's caches live off-heap,
# so the heap takes well under half of the limit. Serial GC and tight free ratios give unused
# heap back; two malloc arenas stop RocksDB's and the JVM's threads from each growing their own,
# and a fixed mmap threshold hands RocksDB's freed memtable blocks back to the OS.
ENV CAIRN_HOME=/opt/cairn \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    JAVA_OPTS="-XX:MaxRAMPercentage=40 -XX:InitialRAMPercentage=5 -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20"
USER 10001:10001
WORKDIR /var/lib/cairn
EXPOSE 2379 2380
# Exec form: the launcher execs the JVM, which becomes PID 1 and receives SIGTERM.
ENTRYPOINT ["/usr/local/bin/etcd"]
