package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NettyDefaultsTest {
    private static final String PLAIN = "io.netty.allocator.maxOrder";
    private static final String SHADED = "io.grpc.netty.shaded.io.netty.allocator.maxOrder";

    @AfterEach
    void clear() {
        System.clearProperty(PLAIN);
        System.clearProperty(SHADED);
    }

    @Test
    void bothNettyCopiesGetSmallerPoolChunks() {
        clear();
        NettyDefaults.sizePoolChunksUnlessAsked();
        assertThat(System.getProperty(PLAIN)).isEqualTo(NettyDefaults.MAX_ORDER);
        assertThat(System.getProperty(SHADED)).isEqualTo(NettyDefaults.MAX_ORDER);
    }

    @Test
    void aChunkSizeGivenOnTheCommandLineWins() {
        System.setProperty(PLAIN, "9");
        NettyDefaults.sizePoolChunksUnlessAsked();
        assertThat(System.getProperty(PLAIN)).isEqualTo("9");
        assertThat(System.getProperty(SHADED)).isEqualTo(NettyDefaults.MAX_ORDER);
    }
}
