package io.cairn.jepsen.cluster;

import java.net.URI;
import java.nio.file.Path;

/**
 * One member: its name, its own loopback address (per-node firewall rules match on it), and
 * where its data and log live.
 */
public record NodeSpec(String name, String ip, int clientPort, int peerPort, Path dataDir, Path logFile) {

    public URI clientUrl() {
        return URI.create("http://" + ip + ":" + clientPort);
    }

    public String peerUrl() {
        return "http://" + ip + ":" + peerPort;
    }
}
