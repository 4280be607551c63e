package io.cairn.raft.storage;

class MemoryStorageContractTest extends StorageContractTest {
    @Override
    protected Storage newStorage() {
        return new MemoryStorage();
    }
}
