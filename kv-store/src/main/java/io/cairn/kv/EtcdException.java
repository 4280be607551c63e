package io.cairn.kv;

import java.util.Objects;

/**
 * An etcd v2 error: {@code {"errorCode":…,"message":…,"cause":…,"index":…}}. Store operations
 * produce it (carrying the store index at failure time); the HTTP layer raises parse errors with
 * the same type (index 0).
 */
public final class EtcdException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String causeText;
    private final long index;

    /**
     * @param code the error
     * @param causeText the {@code cause} field; empty means "omit the field"
     * @param index the etcd index to report (store index for store errors, 0 for parse errors)
     */
    public EtcdException(ErrorCode code, String causeText, long index) {
        super(code.code() + ": " + code.message() + " (" + causeText + ") [" + index + "]", null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.causeText = causeText == null ? "" : causeText;
        this.index = index;
    }

    public ErrorCode code() {
        return code;
    }

    /** The numeric error code. */
    public int errorCode() {
        return code.code();
    }

    /** etcd's message text for the code. */
    public String errorMessage() {
        return code.message();
    }

    /** The {@code cause} field; empty when it must be omitted. */
    public String causeText() {
        return causeText;
    }

    /** The {@code index} field (and {@code X-Etcd-Index} header). */
    public long index() {
        return index;
    }

    /** The HTTP status etcd uses for this error. */
    public int httpStatus() {
        return code.httpStatus();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EtcdException e && e.code == code && e.causeText.equals(causeText) && e.index == index;
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, causeText, index);
    }
}
