package io.cairn.jepsen.checker;

/**
 * A key's state in the register models: absent, or a value with the index of the write that
 * stored it ({@link #UNKNOWN_INDEX} after an uncertain write nobody has observed yet).
 */
public record RegisterState(String value, long index) {
    public static final long UNKNOWN_INDEX = -1;
    public static final RegisterState ABSENT = new RegisterState(null, UNKNOWN_INDEX);

    public boolean present() {
        return value != null;
    }

    boolean indexIs(long expected) {
        return present() && index != UNKNOWN_INDEX && index == expected;
    }

    @Override
    public String toString() {
        return present() ? value + "@" + (index == UNKNOWN_INDEX ? "?" : index) : "absent";
    }
}
