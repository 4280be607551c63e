package io.cairn.kv;

/**
 * etcd's /v2/stats/store counters, in the order etcd prints them. Writes are counted by every
 * member when applied, reads where served.
 */
public record StoreStats(long getsSuccess, long getsFail, long setsSuccess, long setsFail, long deleteSuccess,
        long deleteFail, long updateSuccess, long updateFail, long createSuccess, long createFail,
        long compareAndSwapSuccess, long compareAndSwapFail, long compareAndDeleteSuccess,
        long compareAndDeleteFail, long expireCount, long watchers) {
}
