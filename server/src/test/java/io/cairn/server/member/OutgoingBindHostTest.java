package io.cairn.server.member;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutgoingBindHostTest {
    @Test
    void specificIpsAreUsedAsSourceAddressWildcardsAreNot() {
        assertThat(CairnMember.outgoingBindHost("http://127.0.0.3:2380")).contains("127.0.0.3");
        assertThat(CairnMember.outgoingBindHost("http://[::1]:2380")).contains("::1");
        assertThat(CairnMember.outgoingBindHost("http://0.0.0.0:2380")).isEmpty();
        assertThat(CairnMember.outgoingBindHost("http://[::]:2380")).isEmpty();
        assertThat(CairnMember.outgoingBindHost("http://localhost:2380")).isEmpty();
    }
}
