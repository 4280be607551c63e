package io.cairn.kv;

/** The {@code action} of an etcd v2 event, with its exact wire name. */
public enum Action {
    GET("get"),
    SET("set"),
    CREATE("create"),
    UPDATE("update"),
    COMPARE_AND_SWAP("compareAndSwap"),
    DELETE("delete"),
    COMPARE_AND_DELETE("compareAndDelete"),
    EXPIRE("expire");

    private final String wireName;

    Action(String wireName) {
        this.wireName = wireName;
    }

    /** The string etcd puts in the {@code action} field. */
    public String wireName() {
        return wireName;
    }

    /** Parses a wire name. */
    public static Action fromWireName(String name) {
        for (Action a : values()) {
            if (a.wireName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown action " + name);
    }

    /** True for the actions that remove a node (and so notify watchers below it). */
    public boolean removesNode() {
        return this == DELETE || this == COMPARE_AND_DELETE || this == EXPIRE;
    }
}
