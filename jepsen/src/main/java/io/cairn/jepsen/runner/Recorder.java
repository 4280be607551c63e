package io.cairn.jepsen.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.jepsen.history.HistoryEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Records the history: events get their index and monotonic time in the order they are
 * recorded, are kept in memory for the checkers, and are written as JSON lines by one writer
 * thread (flushed as it goes, so a crashed harness still leaves its history).
 */
public final class Recorder implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HistoryEvent END = new HistoryEvent(-1, 0, null, null, null, null, null, null, null, null, null, null, null);

    private final List<HistoryEvent> events = new ArrayList<>();
    private final BlockingQueue<HistoryEvent> pending = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile IOException failure;
    private long next;

    public Recorder(Path file) throws IOException {
        BufferedWriter out = Files.newBufferedWriter(file);
        writer = new Thread(() -> drain(out), "history-writer");
        writer.setDaemon(true);
        writer.start();
    }

    private void drain(BufferedWriter out) {
        try (out) {
            while (true) {
                HistoryEvent e = pending.take();
                if (e == END) {
                    return;
                }
                out.write(JSON.writeValueAsString(e));
                out.newLine();
                if (pending.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records an invocation just before the request goes out. */
    public synchronized void invoke(String process, String node, String f, String key, JsonNode value) {
        add(process, node, "invoke", f, key, value, null, null, null);
    }

    /** Records a completion (ok, fail or info) just after the answer was read. */
    public synchronized void complete(String process, String node, String type, String f, String key, JsonNode value,
            Integer http, Long etcdIndex, String error) {
        add(process, node, type, f, key, value, http, etcdIndex, error);
    }

    /** Records a fault starting or ending. */
    public synchronized void nemesis(String f, JsonNode value) {
        add(HistoryEvent.NEMESIS, null, "info", f, null, value, null, null, null);
    }

    private void add(String process, String node, String type, String f, String key, JsonNode value, Integer http,
            Long etcdIndex, String error) {
        HistoryEvent e = new HistoryEvent(next++, System.nanoTime(), Instant.now().toString(), process, node, type, f, key,
                value, http, etcdIndex, null, error);
        events.add(e);
        pending.add(e);
    }

    /** Every event so far, in order. */
    public synchronized List<HistoryEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        pending.add(END);
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new UncheckedIOException("writing the history failed", failure);
        }
    }
}
