package io.cairn.raft.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InflightsTest {

    @Test
    void fullByCount() {
        Inflights in = new Inflights(3, 1_000);
        in.add(1, 10);
        in.add(2, 10);
        assertThat(in.full()).isFalse();
        in.add(3, 10);
        assertThat(in.full()).isTrue();
        assertThatThrownBy(() -> in.add(4, 10)).isInstanceOf(IllegalStateException.class);
        in.freeLE(1);
        assertThat(in.full()).isFalse();
        assertThat(in.count()).isEqualTo(2);
    }

    @Test
    void fullByBytes() {
        Inflights in = new Inflights(100, 100);
        in.add(1, 60);
        assertThat(in.full()).isFalse();
        in.add(2, 40);
        assertThat(in.full()).isTrue();
        in.freeLE(1);
        assertThat(in.bytes()).isEqualTo(40);
        assertThat(in.full()).isFalse();
    }

    @Test
    void wrapsAroundTheRing() {
        Inflights in = new Inflights(3, 1_000);
        for (long i = 1; i <= 10; i++) {
            in.add(i, 1);
            in.freeLE(i - 1);
            assertThat(in.count()).isLessThanOrEqualTo(2);
        }
        in.freeLE(5);
        assertThat(in.count()).isEqualTo(1);
        in.freeLE(10);
        assertThat(in.count()).isZero();
        assertThat(in.bytes()).isZero();
    }

    @Test
    void freeFirstOneAndReset() {
        Inflights in = new Inflights(2, 1_000);
        in.add(5, 7);
        in.add(9, 3);
        in.freeFirstOne();
        assertThat(in.count()).isEqualTo(1);
        assertThat(in.bytes()).isEqualTo(3);
        in.reset();
        assertThat(in.count()).isZero();
        assertThat(in.bytes()).isZero();
    }
}
