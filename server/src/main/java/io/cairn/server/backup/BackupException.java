package io.cairn.server.backup;

/** The server refused or failed a backup or restore request. */
final class BackupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BackupException(String message) {
        super(message);
    }
}
