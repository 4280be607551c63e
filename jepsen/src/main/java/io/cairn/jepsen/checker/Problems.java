package io.cairn.jepsen.checker;

import java.util.ArrayList;
import java.util.List;

/**
 * The witnesses a checker collects, capped: a badly broken server (a negative control) yields one
 * problem per element per listing, far more than anyone reads and enough to exhaust the heap.
 * The first {@code limit} are kept; the rest are only counted.
 */
final class Problems {
    static final int DEFAULT_LIMIT = 200;

    private final int limit;
    private final List<String> kept = new ArrayList<>();
    private long dropped;

    Problems() {
        this(DEFAULT_LIMIT);
    }

    Problems(int limit) {
        this.limit = limit;
    }

    /** Records a problem; {@code text} is only built while there is room. */
    void add(java.util.function.Supplier<String> text) {
        if (kept.size() < limit) {
            kept.add(text.get());
        } else {
            dropped++;
        }
    }

    void add(String text) {
        add(() -> text);
    }

    boolean isEmpty() {
        return kept.isEmpty();
    }

    /** The kept problems, with a last line counting the dropped ones if any. */
    List<String> toList() {
        List<String> out = new ArrayList<>(kept);
        if (dropped > 0) {
            out.add("... and " + dropped + " more problems");
        }
        return out;
    }
}
