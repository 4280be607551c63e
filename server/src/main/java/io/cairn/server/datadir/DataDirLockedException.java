package io.cairn.server.datadir;

import java.io.IOException;

/** Another live process (or this one) already serves a member from this data directory. */
public final class DataDirLockedException extends IOException {
    public DataDirLockedException(String message) {
        super(message);
    }
}
