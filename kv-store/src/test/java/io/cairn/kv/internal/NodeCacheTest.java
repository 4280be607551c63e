package io.cairn.kv.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.kv.proto.NodeRecord;
import org.junit.jupiter.api.Test;

class NodeCacheTest {
    private static NodeRecord file(String value) {
        return NodeRecord.newBuilder().setValue(value).setCreatedIndex(1).setModifiedIndex(1).build();
    }

    @Test
    void keepsTheLatestRecordOfAPathAndChargesItOnce() {
        NodeCache cache = new NodeCache(1 << 20);
        cache.put("/a", file("1"));
        long one = cache.sizeBytes();
        cache.put("/a", file("2"));
        assertThat(cache.get("/a").getValue()).isEqualTo("2");
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.sizeBytes()).isEqualTo(one);
        assertThat(cache.get("/b")).isNull();
    }

    @Test
    void evictsTheLeastRecentlyUsedOnceOverItsBudget() {
        NodeRecord value = file("x".repeat(100));
        NodeCache probe = new NodeCache(1 << 20);
        probe.put("/k0", value);
        long perEntry = probe.sizeBytes();

        NodeCache cache = new NodeCache(3 * perEntry);
        cache.put("/k0", value);
        cache.put("/k1", value);
        cache.put("/k2", value);
        assertThat(cache.get("/k0")).isNotNull(); // /k1 is now the eldest
        cache.put("/k3", value);
        assertThat(cache.get("/k1")).isNull();
        assertThat(cache.get("/k0")).isNotNull();
        assertThat(cache.get("/k2")).isNotNull();
        assertThat(cache.get("/k3")).isNotNull();
        assertThat(cache.sizeBytes()).isLessThanOrEqualTo(3 * perEntry);
    }

    @Test
    void aRecordLargerThanTheBudgetIsNotKept() {
        NodeCache cache = new NodeCache(200);
        cache.put("/big", file("x".repeat(1000)));
        assertThat(cache.get("/big")).isNull();
        assertThat(cache.sizeBytes()).isZero();
    }

    @Test
    void zeroCapacityCachesNothingAndClearForgetsEverything() {
        NodeCache off = new NodeCache(0);
        off.put("/a", file("1"));
        assertThat(off.get("/a")).isNull();

        NodeCache cache = new NodeCache(1 << 20);
        cache.put("/a", file("1"));
        cache.clear();
        assertThat(cache.get("/a")).isNull();
        assertThat(cache.sizeBytes()).isZero();
        assertThatThrownBy(() -> new NodeCache(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
