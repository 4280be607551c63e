package io.cairn.jepsen.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A recorded history: client operations (paired) and nemesis events. */
public record History(List<Operation> operations, List<HistoryEvent> nemesis) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public History {
        operations = List.copyOf(operations);
        nemesis = List.copyOf(nemesis);
    }

    /** Reads a JSON-lines history file. */
    public static History read(Path file) throws IOException {
        List<HistoryEvent> events = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    events.add(JSON.readValue(line, HistoryEvent.class));
                }
            }
        }
        return of(events);
    }

    /**
     * Pairs each invocation with the completion of the same process. A process never has two
     * open operations; an invocation without a completion (the run ended) counts as info.
     */
    public static History of(List<HistoryEvent> events) {
        Map<String, HistoryEvent> open = new HashMap<>();
        List<Operation> ops = new ArrayList<>();
        List<HistoryEvent> nemesis = new ArrayList<>();
        for (HistoryEvent e : events) {
            if (e.isNemesis()) {
                nemesis.add(e);
                continue;
            }
            if (HistoryEvent.INVOKE.equals(e.type())) {
                HistoryEvent previous = open.put(e.process(), e);
                if (previous != null) {
                    throw new IllegalArgumentException("process " + e.process() + " invoked #" + e.index()
                            + " while #" + previous.index() + " was still open");
                }
                continue;
            }
            HistoryEvent invoke = open.remove(e.process());
            if (invoke == null) {
                throw new IllegalArgumentException("completion #" + e.index() + " has no invocation");
            }
            ops.add(pair(invoke, e));
        }
        for (HistoryEvent invoke : open.values()) {
            ops.add(new Operation(invoke.index(), Integer.parseInt(invoke.process()), invoke.f(), invoke.key(),
                    invoke.value(), null, Outcome.INFO, invoke.time(), Long.MAX_VALUE, -1));
        }
        ops.sort((a, b) -> Long.compare(a.id(), b.id()));
        return new History(ops, nemesis);
    }

    private static Operation pair(HistoryEvent invoke, HistoryEvent done) {
        Outcome outcome = Outcome.valueOf(done.type().toUpperCase(Locale.ROOT));
        return new Operation(invoke.index(), Integer.parseInt(invoke.process()), invoke.f(), invoke.key(),
                invoke.value(), done.value(), outcome, invoke.time(), done.time(),
                done.etcdIndex() == null ? -1 : done.etcdIndex());
    }
}
