package io.cairn.raft.sim;

/** The core asked the simulated disk for a write the Storage contract does not allow. */
final class StorageContractException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StorageContractException(String message) {
        super(message);
    }
}
