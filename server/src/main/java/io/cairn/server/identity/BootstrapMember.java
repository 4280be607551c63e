package io.cairn.server.identity;

import java.util.List;

/** One member of the initial cluster, with the id etcd would derive for it. */
public record BootstrapMember(long id, String name, List<String> peerUrls) {
    public BootstrapMember {
        peerUrls = List.copyOf(peerUrls);
    }
}
