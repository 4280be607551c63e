package io.cairn.kv.internal;

/** A storage failure (RocksDB error, corrupt record): the state machine cannot continue. */
public final class StoreFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
