package io.cairn.kv;

/**
 * What applying one kv command produced: an event, an etcd error, or neither (membership records,
 * expiry sweeps). Returned through raft to the proposer.
 *
 * @param event the successful outcome, or null
 * @param error the etcd error, or null
 */
public record ApplyResult(Event event, EtcdException error) {
    /** A command with no client-visible outcome. */
    public static final ApplyResult NONE = new ApplyResult(null, null);

    public static ApplyResult of(Event event) {
        return new ApplyResult(event, null);
    }

    public static ApplyResult failed(EtcdException error) {
        return new ApplyResult(null, error);
    }

    public boolean isSuccess() {
        return error == null;
    }

    /** The event, or throws the error. */
    public Event eventOrThrow() {
        if (error != null) {
            throw error;
        }
        return event;
    }
}
