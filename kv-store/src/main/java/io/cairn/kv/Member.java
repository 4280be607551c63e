package io.cairn.kv;

import java.util.List;
import java.util.Objects;

/**
 * A cluster member as /v2/members shows it. An unstarted member has an empty name and no client
 * URLs.
 */
public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls) {
    public Member {
        Objects.requireNonNull(name, "name");
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }

    /** The id as etcd prints it: lower-case hex without leading zeros. */
    public String idHex() {
        return Long.toHexString(id);
    }
}
