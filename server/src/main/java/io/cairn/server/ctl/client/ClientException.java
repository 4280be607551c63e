package io.cairn.server.ctl.client;

/** Any failure of a v2 request; the message is what etcdctl would print after {@code Error: }. */
public class ClientException extends Exception {
    public ClientException(String message) {
        super(message);
    }
}
