package io.cairn.raft.storage;

class MemorySnapshotStoreContractTest extends SnapshotStoreContractTest {
    @Override
    protected SnapshotStore newStore() {
        return new MemorySnapshotStore();
    }

    @Override
    protected int retained(SnapshotStore store) {
        return ((MemorySnapshotStore) store).size();
    }
}
