package io.cairn.kv.internal;

import io.cairn.kv.Action;
import io.cairn.kv.Event;
import io.cairn.kv.Node;
import io.cairn.kv.proto.EventRecord;
import io.cairn.kv.proto.NodeView;
import java.time.Instant;

/** Converts history events to and from their stored protobuf form. */
public final class EventCodec {
    private EventCodec() {
    }

    public static EventRecord encode(long index, Event e) {
        EventRecord.Builder b = EventRecord.newBuilder().setIndex(index);
        if (e == null) {
            return b.setInternal(true).build();
        }
        b.setAction(e.action().wireName()).setNode(encode(e.node())).setRefresh(e.refresh());
        if (e.prevNode() != null) {
            b.setPrevNode(encode(e.prevNode()));
        }
        return b.build();
    }

    /** The stored event, or null for an internal record. */
    public static Event decode(EventRecord r) {
        if (r.getInternal()) {
            return null;
        }
        Node prev = r.hasPrevNode() ? decode(r.getPrevNode()) : null;
        return new Event(Action.fromWireName(r.getAction()), decode(r.getNode()), prev, r.getIndex(), r.getRefresh());
    }

    private static NodeView encode(Node n) {
        NodeView.Builder b = NodeView.newBuilder().setKey(n.key()).setDir(n.dir())
                .setCreatedIndex(n.createdIndex()).setModifiedIndex(n.modifiedIndex());
        if (n.value() != null) {
            b.setValue(n.value());
        }
        if (n.expiration() != null) {
            b.setExpirationUnixNanos(n.expiration().getEpochSecond() * 1_000_000_000L + n.expiration().getNano());
            b.setTtl(n.ttl());
        }
        return b.build();
    }

    private static Node decode(NodeView v) {
        Instant expiration = v.hasExpirationUnixNanos() ? StoreEngine.instant(v.getExpirationUnixNanos()) : null;
        return new Node(v.getKey(), v.hasValue() ? v.getValue() : null, v.getDir(), expiration, v.getTtl(),
                v.getCreatedIndex(), v.getModifiedIndex(), null);
    }
}
