package io.cairn.compat;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Plays sequences against one server (etcd or Cairn) on a client port and records normalized responses. */
final class SequenceRunner {

    /** How long a parked watch may take to deliver before the step is recorded as "no event". */
    private static final Duration WATCH_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern INDEX_PLACEHOLDER = Pattern.compile("\\{i([+-]\\d+)}");

    private final int port;

    SequenceRunner(int port) {
        this.port = port;
    }

    List<ObjectNode> run(Sequence sequence) {
        List<ObjectNode> observations = new ArrayList<>();
        Map<String, RawHttp.Pending> parked = new HashMap<>();
        Map<String, Sequence.Step> parkedSteps = new HashMap<>();
        try {
            long base = currentIndex();
            ResponseNormalizer normalizer = new ResponseNormalizer(base);
            for (Sequence.Step step : sequence.steps()) {
                switch (step.kind()) {
                    case REQUEST -> {
                        String target = substitute(step.target(), sequence, base);
                        byte[] body = step.body() == null ? null
                                : substitute(step.body(), sequence, base).getBytes(StandardCharsets.UTF_8);
                        if (step.async() != null) {
                            parked.put(step.async(), RawHttp.open(port, step.method(), target, step.headers(), body,
                                    WATCH_TIMEOUT));
                            parkedSteps.put(step.async(), step);
                        } else {
                            RawHttp.Response response = RawHttp.exchange(port, step.method(), target, step.headers(),
                                    body, REQUEST_TIMEOUT, step.lines());
                            observations.add(normalizer.normalize(step.line(), response, step.shape(), step.noBody()));
                        }
                    }
                    case AWAIT -> {
                        Sequence.Step started = parkedSteps.get(step.async());
                        try (RawHttp.Pending pending = parked.remove(step.async())) {
                            observations.add(normalizer.normalize(started.line(), pending.finish(started.lines()),
                                    started.shape(), started.noBody()));
                        } catch (java.net.SocketTimeoutException e) {
                            observations.add(note(started.line(), "no event within " + WATCH_TIMEOUT));
                        }
                    }
                    case GONE -> {
                        String target = substitute(step.target(), sequence, base);
                        await("expiry of " + target).atMost(Duration.ofSeconds(15))
                                .pollInterval(Duration.ofMillis(100))
                                .until(() -> RawHttp.exchange(port, "GET", target, Map.of(), null, REQUEST_TIMEOUT)
                                        .status() == 404);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            observations.add(note("(sequence aborted)", e.toString()));
        } finally {
            for (RawHttp.Pending pending : parked.values()) {
                try {
                    pending.close();
                } catch (IOException ignored) {
                    // the watch connection is being abandoned anyway
                }
            }
        }
        return observations;
    }

    /** The store index now, read from a root GET's X-Etcd-Index. */
    long currentIndex() throws IOException {
        RawHttp.Response root = RawHttp.exchange(port, "GET", "/v2/keys/", Map.of(), null, REQUEST_TIMEOUT);
        return Long.parseLong(root.header("x-etcd-index"));
    }

    static String substitute(String text, Sequence sequence, long base) {
        String out = text.replace("{k}", "/v2/keys/" + sequence.id()).replace("{key}", "/" + sequence.id());
        Matcher m = INDEX_PLACEHOLDER.matcher(out);
        return m.replaceAll(match -> Long.toString(base + Long.parseLong(match.group(1))));
    }

    private static ObjectNode note(String step, String text) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("step", step);
        node.put("outcome", text);
        return node;
    }
}
