package io.cairn.compat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The two servers under comparison: real etcd 3.4 and Cairn, both launched with the same etcd flags. */
enum Flavor {
    ETCD {
        @Override
        List<String> command(List<String> etcdFlags) {
            List<String> command = new ArrayList<>(List.of(ETCD_BINARY.toString()));
            command.addAll(etcdFlags);
            return command;
        }
    },
    CAIRN {
        @Override
        List<String> command(List<String> etcdFlags) {
            String classpath = System.getProperty("cairn.classpath", "");
            if (classpath.isBlank()) {
                throw new IllegalStateException("system property cairn.classpath is not set (run through Maven)");
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-cp", classpath, "io.cairn.server.CairnMain"));
            command.addAll(etcdFlags);
            return command;
        }
    },
    /** The v2 API and kv-store in one process without Raft: a partial candidate until the server serves HTTP. */
    CAIRN_LOCAL {
        @Override
        List<String> command(List<String> etcdFlags) {
            List<String> command = CAIRN.command(etcdFlags);
            int main = command.indexOf("io.cairn.server.CairnMain");
            command.set(main, "io.cairn.http.LocalV2Main");
            int cp = command.indexOf("-cp") + 1;
            command.set(cp, System.getProperty("compat.testClasses") + java.io.File.pathSeparator + command.get(cp));
            return command;
        }
    };

    static final Path ETCD_BINARY = Path.of("/usr/bin/etcd");
    static final Path ETCDCTL_BINARY = Path.of("/usr/bin/etcdctl");

    static boolean etcdInstalled() {
        return Files.isExecutable(ETCD_BINARY) && Files.isExecutable(ETCDCTL_BINARY);
    }

    abstract List<String> command(List<String> etcdFlags);

    static final String NOT_WIRED = "skipped for cairn: this build's server does not serve the v2 HTTP API yet "
            + "(io.cairn.server.CairnMain.HTTP_API_WIRED is false)";

    /** Whether this flavor answers the v2 HTTP API (Cairn's server wires it in a later build). */
    boolean servesHttp() {
        return this != CAIRN || io.cairn.server.CairnMain.HTTP_API_WIRED;
    }
}
