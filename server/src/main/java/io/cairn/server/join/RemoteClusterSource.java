package io.cairn.server.join;

import io.cairn.server.config.ConfigException;
import java.util.List;

/** Asks running members about their cluster; {@link ClusterInfoClient} in production, a fake in tests. */
@FunctionalInterface
public interface RemoteClusterSource {
    /**
     * The first answer from the given peer URLs.
     *
     * @throws ConfigException with etcd's message when none of them answered
     */
    RemoteCluster fetch(List<String> peerUrls) throws ConfigException, InterruptedException;
}
