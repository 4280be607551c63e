package io.cairn.raft.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Messages produced since the last Ready, and the one place that decides which of them promise
 * durable state and so must wait until the Ready's writes are durable.
 */
final class Outbox {
    private final List<Message> messages = new ArrayList<>();

    /**
     * Whether a message of this type promises state that must be durable first: a candidate's
     * VOTE (its term and self-vote) and every response (a granted vote, an acknowledged append,
     * a confirmed read). Leader traffic (APPEND, HEARTBEAT, SNAPSHOT, TIMEOUT_NOW), PRE_VOTE and
     * forwarded requests (PROPOSE, READ_INDEX, TRANSFER_LEADER) promise nothing.
     */
    static boolean mustFollowPersist(MessageType type) {
        return switch (type) {
            case VOTE, VOTE_RESPONSE, PRE_VOTE_RESPONSE, APPEND_RESPONSE, HEARTBEAT_RESPONSE,
                    READ_INDEX_RESPONSE -> true;
            case APPEND, HEARTBEAT, SNAPSHOT, TIMEOUT_NOW, PRE_VOTE, PROPOSE, READ_INDEX, TRANSFER_LEADER,
                    SNAPSHOT_STATUS, UNREACHABLE -> false;
        };
    }

    void add(Message message) {
        messages.add(message);
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    boolean hasPromises() {
        for (Message m : messages) {
            if (mustFollowPersist(m.type())) {
                return true;
            }
        }
        return false;
    }

    /** Removes and returns everything queued, in production order. */
    List<Message> drain() {
        List<Message> out = List.copyOf(messages);
        messages.clear();
        return out;
    }
}
