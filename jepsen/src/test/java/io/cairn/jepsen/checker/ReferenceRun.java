package io.cairn.jepsen.checker;

import com.fasterxml.jackson.databind.node.NullNode;
import io.cairn.jepsen.history.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Histories from a single-threaded in-memory register, for the checker's self-tests. */
final class ReferenceRun {
    private ReferenceRun() {
    }

    /**
     * Random operations on one key, executed one at a time against a plain variable, each with
     * its own non-overlapping interval (so the only linearization is the execution order).
     */
    static List<Operation> casRegister(Random random, int length) {
        String value = null;
        List<Operation> ops = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < length; i++) {
            int process = random.nextInt(4);
            String v = String.valueOf(random.nextInt(5));
            switch (random.nextInt(3)) {
                case 0 -> ops.add(Ops.read(process, "k", value, t, t + 1));
                case 1 -> {
                    ops.add(Ops.write(process, "k", v, t, t + 1));
                    value = v;
                }
                default -> {
                    String from = String.valueOf(random.nextInt(5));
                    String result = value == null ? "not-found" : value.equals(from) ? "ok" : "compare-failed";
                    ops.add(Ops.cas(process, "k", from, v, result, t, t + 1));
                    if (result.equals("ok")) {
                        value = v;
                    }
                }
            }
            t += 2;
        }
        return ops;
    }

    /** The same history with one read returning a value the register never held then, or null. */
    static List<Operation> corruptOneRead(List<Operation> ops, Random random) {
        List<Integer> reads = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).f().equals("read")) {
                reads.add(i);
            }
        }
        if (reads.isEmpty()) {
            return null;
        }
        int victim = reads.get(random.nextInt(reads.size()));
        Operation read = ops.get(victim);
        String was = read.output().isNull() ? null : read.output().asText();
        String wrong = was == null ? "9" : (was.equals("9") ? null : "9");
        List<Operation> mutant = new ArrayList<>(ops);
        mutant.set(victim, new Operation(read.id(), read.process(), "read", read.key(), read.input(),
                wrong == null ? NullNode.getInstance() : Ops.text(wrong), read.outcome(), read.call(), read.ret(), -1));
        return mutant;
    }
}
