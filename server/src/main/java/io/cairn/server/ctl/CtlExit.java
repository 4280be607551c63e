package io.cairn.server.ctl;

/** Ends a cairnctl command with an exit code, as etcdctl's {@code os.Exit} calls do. */
final class CtlExit extends RuntimeException {
    private final int code;

    CtlExit(int code) {
        super(null, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }
}
