package io.cairn.http;

/** A refused membership change, with the status and {"message"} etcd answers it with (spec 13). */
public final class MembershipException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public MembershipException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static MembershipException peerUrlExists() {
        return new MembershipException(409, "membership: peerURL exists");
    }

    public static MembershipException noSuchMember(String id) {
        return new MembershipException(404, "No such member: " + id);
    }

    public static MembershipException removed(String id) {
        return new MembershipException(410, "Member permanently removed: " + id);
    }

    public static MembershipException internal() {
        return new MembershipException(500, "Internal Server Error");
    }
}
