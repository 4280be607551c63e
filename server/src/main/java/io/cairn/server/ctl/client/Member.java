package io.cairn.server.ctl.client;

import java.util.List;

/** An entry of {@code GET /v2/members}. */
public record Member(String id, String name, List<String> peerUrls, List<String> clientUrls) {
    public Member {
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }
}
