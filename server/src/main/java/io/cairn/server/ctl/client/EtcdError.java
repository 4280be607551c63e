package io.cairn.server.ctl.client;

/**
 * An error answer of the keys API ({@code {"errorCode":100,"message":...}}), printed the way
 * etcd's Go client formats it: {@code 100: Key not found (/foo) [12]}.
 */
public final class EtcdError extends ClientException {
    private final int code;
    private final String etcdMessage;
    private final String cause;
    private final long index;

    public EtcdError(int code, String etcdMessage, String cause, long index) {
        super(code + ": " + etcdMessage + " (" + cause + ") [" + index + "]");
        this.code = code;
        this.etcdMessage = etcdMessage;
        this.cause = cause;
        this.index = index;
    }

    public int code() {
        return code;
    }

    public String etcdMessage() {
        return etcdMessage;
    }

    public String cause() {
        return cause;
    }

    public long index() {
        return index;
    }
}
