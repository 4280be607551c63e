package io.cairn.kv.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.kv.Member;
import io.cairn.kv.proto.Command;
import io.cairn.kv.proto.MemberContext;
import io.cairn.kv.proto.MemberRecord;
import io.cairn.raft.core.ConfigChange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;

/**
 * Applies membership records into the batch and the working {@link Membership}, returning how many
 * etcd indexes each consumed so numbering matches etcd (spec 2.5c): add +1, peer-URL update +1,
 * remove +2 (member record deleted, removal recorded), attribute publication +1, cluster version +1.
 */
public final class MembershipApplier {
    private final StoreDb store;
    private final WriteBatchWithIndex batch;
    private final Membership members;

    public MembershipApplier(StoreDb store, WriteBatchWithIndex batch, Membership members) {
        this.store = store;
        this.batch = batch;
        this.members = members;
    }

    /**
     * A raft CONFIG_CHANGE entry. The indexes consumed depend only on the replicated removed-set,
     * never on whether this replica knows the member (a replica seeded with {@code seedMembers}
     * and one replaying the log from the start must number identically).
     */
    public int apply(ConfigChange change) {
        long id = change.nodeId();
        if (members.isRemoved(id)) {
            return 0; // removed ids never come back
        }
        if (change.type() == ConfigChange.Type.REMOVE_NODE) {
            members.remove(id);
            delete(MetaKeys.member(id));
            put(MetaKeys.removed(id), new byte[0]);
            return 2; // etcd deletes the member record and records the removal
        }
        MemberContext ctx = parseContext(change.context());
        MemberRecord.Builder record = members.get(id).map(MemberRecord::toBuilder)
                .orElseGet(() -> MemberRecord.newBuilder().setId(id));
        if (ctx.getPeerUrlsCount() > 0) {
            record.clearPeerUrls().addAllPeerUrls(ctx.getPeerUrlsList().stream().sorted().toList());
        }
        if (!ctx.getName().isEmpty()) {
            record.setName(ctx.getName());
        }
        if (ctx.getClientUrlsCount() > 0) {
            record.clearClientUrls().addAllClientUrls(ctx.getClientUrlsList());
        }
        save(record.build());
        return 1;
    }

    /** A publish / peer-URL update / cluster-version command (each +1 unless the member was removed). */
    public int apply(Command command) {
        switch (command.getBodyCase()) {
            case PUBLISH_MEMBER -> {
                var p = command.getPublishMember();
                if (members.isRemoved(p.getId())) {
                    return 0;
                }
                save(recordOf(p.getId()).setName(p.getName()).clearClientUrls()
                        .addAllClientUrls(p.getClientUrlsList()).build());
                return 1;
            }
            case UPDATE_PEER_URLS -> {
                var u = command.getUpdatePeerUrls();
                if (members.isRemoved(u.getId())) {
                    return 0;
                }
                save(recordOf(u.getId()).clearPeerUrls()
                        .addAllPeerUrls(u.getPeerUrlsList().stream().sorted().toList()).build());
                return 1;
            }
            case CLUSTER_VERSION -> {
                var v = command.getClusterVersion();
                members.setClusterVersion(v.getVersion());
                put(MetaKeys.CLUSTER_VERSION, v.getVersion().getBytes(StandardCharsets.UTF_8));
                if (v.getClusterId() != 0) {
                    members.setClusterId(v.getClusterId());
                    put(MetaKeys.CLUSTER_ID, MetaKeys.longBytes(v.getClusterId()));
                }
                return 1;
            }
            default -> throw new IllegalArgumentException("not a membership command: " + command.getBodyCase());
        }
    }

    /** Writes member records known outside the log (founders), keeping names already published. */
    public void seed(List<Member> founders) {
        for (Member m : founders) {
            if (members.isRemoved(m.id())) {
                continue;
            }
            MemberRecord.Builder r = recordOf(m.id()).clearPeerUrls()
                    .addAllPeerUrls(m.peerUrls().stream().sorted().toList());
            if (!m.name().isEmpty()) {
                r.setName(m.name());
            }
            if (!m.clientUrls().isEmpty()) {
                r.clearClientUrls().addAllClientUrls(m.clientUrls());
            }
            save(r.build());
        }
    }

    private MemberRecord.Builder recordOf(long id) {
        return members.get(id).map(MemberRecord::toBuilder).orElseGet(() -> MemberRecord.newBuilder().setId(id));
    }

    /** Reads the committed membership. */
    public static Membership load(StoreDb store) {
        Membership m = new Membership();
        try (ReadOptions reads = new ReadOptions(); RocksIterator it = store.db().newIterator(store.meta(), reads)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                String key = new String(it.key(), StandardCharsets.UTF_8);
                if (key.startsWith(MetaKeys.MEMBER_PREFIX)) {
                    m.put(MemberRecord.parseFrom(it.value()));
                } else if (key.startsWith(MetaKeys.REMOVED_PREFIX)) {
                    m.markRemoved(Long.parseUnsignedLong(key.substring(MetaKeys.REMOVED_PREFIX.length()), 16));
                } else if (key.equals("clusterVersion")) {
                    m.setClusterVersion(new String(it.value(), StandardCharsets.UTF_8));
                } else if (key.equals("clusterId")) {
                    m.setClusterId(ByteBuffer.wrap(it.value()).getLong());
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new StoreFailure("corrupt member record", e);
        }
        return m;
    }

    private void save(MemberRecord r) {
        members.put(r);
        put(MetaKeys.member(r.getId()), r.toByteArray());
    }

    private void put(byte[] key, byte[] value) {
        try {
            batch.put(store.meta(), key, value);
        } catch (RocksDBException e) {
            throw new StoreFailure("batch put failed", e);
        }
    }

    private void delete(byte[] key) {
        try {
            batch.delete(store.meta(), key);
        } catch (RocksDBException e) {
            throw new StoreFailure("batch delete failed", e);
        }
    }

    /**
     * The context of a membership change: a {@code MemberContext} protobuf (recognised by its
     * leading version field, bytes 0x08 0x01), or else UTF-8 text holding the peer address or a
     * comma-separated list of peer URLs (what a runtime that uses the context as the transport
     * address puts there). Anything unreadable means "no details" so that no replica diverges.
     */
    static MemberContext parseContext(byte[] context) {
        if (context.length == 0) {
            return MemberContext.getDefaultInstance();
        }
        if (context.length >= 2 && context[0] == 0x08 && context[1] == 0x01) {
            try {
                return MemberContext.parseFrom(context);
            } catch (InvalidProtocolBufferException e) {
                return MemberContext.getDefaultInstance();
            }
        }
        MemberContext.Builder b = MemberContext.newBuilder();
        for (String part : new String(context, StandardCharsets.UTF_8).split(",")) {
            String url = part.trim();
            if (!url.isEmpty()) {
                b.addPeerUrls(url.contains("://") ? url : "http://" + url);
            }
        }
        return b.build();
    }
}
