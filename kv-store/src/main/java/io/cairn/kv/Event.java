package io.cairn.kv;

import java.util.Objects;

/**
 * The result of a successful store operation, or a watch notification:
 * {@code {"action":…,"node":…,"prevNode":…}}.
 *
 * @param action what happened
 * @param node the node after the operation (for removals: key, dir flag and indexes, no value)
 * @param prevNode the node before the operation, null when there was none (never listed)
 * @param etcdIndex the etcd index after the operation: the operation's own index for a write,
 *     the current index for a get (the {@code X-Etcd-Index} header of non-watch responses)
 * @param refresh true for a TTL refresh: recorded in the history but never delivered to
 *     watchers; never shown on the wire
 */
public record Event(Action action, Node node, Node prevNode, long etcdIndex, boolean refresh) {

    public Event {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(node, "node");
    }

    /**
     * The HTTP status of a successful keys response carrying this event: 201 for {@code create}
     * and for a {@code set} that replaced nothing, 200 otherwise (spec 5.0, 5.2a).
     */
    public int httpStatus() {
        if (action == Action.CREATE || (action == Action.SET && prevNode == null)) {
            return 201;
        }
        return 200;
    }

    /** The index of the change this event records (the node's modifiedIndex for writes). */
    public long index() {
        return action == Action.GET ? etcdIndex : node.modifiedIndex();
    }
}
