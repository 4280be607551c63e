package io.cairn.kv;

import io.cairn.kv.proto.ClusterVersion;
import io.cairn.kv.proto.Command;
import io.cairn.kv.proto.Expire;
import io.cairn.kv.proto.KeyOp;
import io.cairn.kv.proto.KeyWrite;
import io.cairn.kv.proto.MemberContext;
import io.cairn.kv.proto.PublishMember;
import io.cairn.kv.proto.UpdatePeerUrls;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Builds the protobuf-encoded commands the kv layer proposes through raft. Every command carries
 * the proposer's wall-clock time; a TTL becomes an absolute expiration here, once, on the member
 * that received the request (spec 3.8), so every replica applies the same instant.
 *
 * <p>Keys are cleaned with {@link KeyPaths#clean}. {@code ttlSeconds} null means "no TTL".
 */
public final class KvCommands {
    /** Version of the command format written by this class. */
    public static final int FORMAT_VERSION = 1;

    /** Expirations before this instant come from overflow and mean "no TTL" (spec 3.8). */
    private static final long MIN_EXPIRATION_NANOS = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;

    private final Clock clock;

    /** @param clock the proposer's wall clock */
    public KvCommands(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A factory on the system clock. */
    public static KvCommands systemClock() {
        return new KvCommands(Clock.systemUTC());
    }

    /**
     * The PUT decision tree of spec 4.5 (first match wins): prevExist=true → update (or
     * compareAndSwap with conditions); prevExist=false → create; prevValue/prevIndex → compareAndSwap;
     * otherwise set.
     *
     * @param prevExist null when not given
     * @param prevValue null when not given
     * @param prevIndex 0 when not given; the bits of a uint64 (values above Long.MAX_VALUE are negative here)
     */
    public byte[] put(String key, String value, boolean dir, Long ttlSeconds, boolean refresh, Boolean prevExist,
            String prevValue, long prevIndex) {
        if (prevExist != null && prevExist) {
            if (prevIndex == 0 && prevValue == null) {
                return update(key, value, ttlSeconds, refresh);
            }
            return compareAndSwap(key, value, ttlSeconds, refresh, prevValue, prevIndex);
        }
        if (prevExist != null) {
            return create(key, value, dir, ttlSeconds);
        }
        if (prevIndex != 0 || prevValue != null) {
            return compareAndSwap(key, value, ttlSeconds, refresh, prevValue, prevIndex);
        }
        return set(key, value, dir, ttlSeconds, refresh);
    }

    /** The DELETE decision of spec 4.6: conditions → compareAndDelete, else delete. */
    public byte[] remove(String key, boolean dir, boolean recursive, String prevValue, long prevIndex) {
        if (prevIndex != 0 || prevValue != null) {
            return compareAndDelete(key, prevValue, prevIndex);
        }
        return delete(key, dir, recursive);
    }

    /** {@code set}: create or replace; {@code dir} makes an empty directory (value ignored). */
    public byte[] set(String key, String value, boolean dir, Long ttlSeconds, boolean refresh) {
        return keyWrite(write(KeyOp.SET, key).setValue(nullToEmpty(value)).setDir(dir).setRefresh(refresh), ttlSeconds);
    }

    /** {@code create} ({@code prevExist=false}): fails with 105 when anything exists at the key. */
    public byte[] create(String key, String value, boolean dir, Long ttlSeconds) {
        return keyWrite(write(KeyOp.CREATE, key).setValue(nullToEmpty(value)).setDir(dir), ttlSeconds);
    }

    /** {@code update} ({@code prevExist=true}): the node must exist; TTL replaced or removed. */
    public byte[] update(String key, String value, Long ttlSeconds, boolean refresh) {
        return keyWrite(write(KeyOp.UPDATE, key).setValue(nullToEmpty(value)).setRefresh(refresh), ttlSeconds);
    }

    /**
     * {@code compareAndSwap}: succeeds when {@code prevValue} (if non-null) equals the value and
     * {@code prevIndex} (if non-zero) equals the modifiedIndex.
     */
    public byte[] compareAndSwap(String key, String value, Long ttlSeconds, boolean refresh, String prevValue,
            long prevIndex) {
        KeyWrite.Builder w = write(KeyOp.COMPARE_AND_SWAP, key).setValue(nullToEmpty(value)).setRefresh(refresh)
                .setPrevIndex(prevIndex);
        if (prevValue != null) {
            w.setPrevValue(prevValue);
        }
        return keyWrite(w, ttlSeconds);
    }

    /** In-order create ({@code POST}): a child of {@code dirKey} named by the new index, 20 digits. */
    public byte[] createInOrder(String dirKey, String value, boolean dir, Long ttlSeconds) {
        return keyWrite(write(KeyOp.CREATE_IN_ORDER, dirKey).setValue(nullToEmpty(value)).setDir(dir), ttlSeconds);
    }

    /** {@code delete}: a file, an empty directory ({@code dir}) or a sub-tree ({@code recursive}). */
    public byte[] delete(String key, boolean dir, boolean recursive) {
        return keyWrite(write(KeyOp.DELETE, key).setDir(dir).setRecursive(recursive), null);
    }

    /** {@code compareAndDelete} of a file. */
    public byte[] compareAndDelete(String key, String prevValue, long prevIndex) {
        KeyWrite.Builder w = write(KeyOp.COMPARE_AND_DELETE, key).setPrevIndex(prevIndex);
        if (prevValue != null) {
            w.setPrevValue(prevValue);
        }
        return keyWrite(w, null);
    }

    /**
     * The leader's periodic expiry sweep (etcd's SYNC): removes everything whose expiration is at
     * or before this factory's clock reading.
     */
    public byte[] expire() {
        return command().setExpire(Expire.getDefaultInstance()).build().toByteArray();
    }

    /** A member publishes its name and client URLs (every start; consumes one etcd index). */
    public byte[] publishMember(long memberId, String name, List<String> clientUrls) {
        return command().setPublishMember(PublishMember.newBuilder().setId(memberId).setName(name)
                .addAllClientUrls(clientUrls)).build().toByteArray();
    }

    /** Replaces a member's peer URLs (consumes one etcd index even when unchanged). */
    public byte[] updatePeerUrls(long memberId, List<String> peerUrls) {
        return command().setUpdatePeerUrls(UpdatePeerUrls.newBuilder().setId(memberId).addAllPeerUrls(peerUrls))
                .build().toByteArray();
    }

    /**
     * Records the cluster version (consumes one etcd index) and, when {@code clusterId} is non-zero,
     * the cluster id.
     */
    public byte[] clusterVersion(String version, long clusterId) {
        return command().setClusterVersion(ClusterVersion.newBuilder().setVersion(version).setClusterId(clusterId))
                .build().toByteArray();
    }

    /**
     * The context to put in a raft-core {@code ConfigChange} that adds a member: its peer URLs and,
     * when known, its name and client URLs.
     */
    public static byte[] memberContext(List<String> peerUrls, String name, List<String> clientUrls) {
        return MemberContext.newBuilder().setVersion(FORMAT_VERSION).addAllPeerUrls(peerUrls)
                .setName(nullToEmpty(name)).addAllClientUrls(clientUrls).build().toByteArray();
    }

    private Command.Builder command() {
        Instant now = clock.instant();
        long nanos = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        return Command.newBuilder().setVersion(FORMAT_VERSION).setNowUnixNanos(nanos);
    }

    private static KeyWrite.Builder write(KeyOp op, String key) {
        return KeyWrite.newBuilder().setOp(op).setKey(KeyPaths.clean(key));
    }

    private byte[] keyWrite(KeyWrite.Builder write, Long ttlSeconds) {
        Command.Builder cmd = command();
        if (ttlSeconds != null) {
            expirationOf(cmd.getNowUnixNanos(), ttlSeconds).ifPresent(write::setExpirationUnixNanos);
        }
        return cmd.setKeyWrite(write).build().toByteArray();
    }

    /** now + ttl, or empty when it overflows or lands before 2000 (stored without TTL, spec 3.8). */
    static java.util.OptionalLong expirationOf(long nowNanos, long ttlSeconds) {
        try {
            long at = Math.addExact(nowNanos, Math.multiplyExact(ttlSeconds, 1_000_000_000L));
            return at < MIN_EXPIRATION_NANOS ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(at);
        } catch (ArithmeticException overflow) {
            return java.util.OptionalLong.empty();
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
