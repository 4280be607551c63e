package io.cairn.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InitialClusterTest {
    @Test
    void aNameMayRepeatForSeveralUrls() {
        InitialCluster c = InitialCluster.parse("b=http://10.0.0.2:2380,a=http://10.0.0.1:2381,a=http://10.0.0.1:2380");
        assertThat(c.members()).containsOnlyKeys("a", "b");
        assertThat(c.peerUrls("a")).containsExactly("http://10.0.0.1:2380", "http://10.0.0.1:2381");
        assertThat(c).hasToString("a=http://10.0.0.1:2380,a=http://10.0.0.1:2381,b=http://10.0.0.2:2380");
    }

    @Test
    void badUrlsAreRejectedWithEtcdsMessage() {
        assertThatThrownBy(() -> InitialCluster.parse("a=10.0.0.1:2380"))
                .hasMessage("parse \"10.0.0.1:2380\": first path segment in URL cannot contain colon");
        assertThatThrownBy(() -> InitialCluster.parse("a=node1"))
                .hasMessage("URL scheme must be http, https, unix, or unixs: node1");
        assertThatThrownBy(() -> InitialCluster.parse("a=http://x:1/p")).hasMessage("URL must not contain a path: http://x:1/p");
    }

    @Test
    void duplicateUrlsAreDetected() {
        assertThat(InitialCluster.parse("a=http://x:1,b=http://x:1").hasDuplicateUrl()).isTrue();
        assertThat(InitialCluster.parse("a=http://x:1,b=http://x:2").hasDuplicateUrl()).isFalse();
    }
}
