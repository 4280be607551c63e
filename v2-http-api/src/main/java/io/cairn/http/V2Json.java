package io.cairn.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.cairn.kv.Event;
import io.cairn.kv.EtcdException;
import io.cairn.kv.Node;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/** etcd's v2 JSON shapes (spec 5.0, 11.1), field order included. */
final class V2Json {
    /** Go's RFC3339Nano: fractional seconds with trailing zeros trimmed. */
    static final DateTimeFormatter RFC3339_NANO = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private V2Json() {
    }

    /** {"action":…,"node":…,"prevNode":…} + newline. */
    static byte[] event(Event event) {
        return GoJson.render(json -> {
            json.writeStartObject();
            json.writeStringField("action", event.action().wireName());
            json.writeFieldName("node");
            node(json, event.node());
            if (event.prevNode() != null) {
                json.writeFieldName("prevNode");
                node(json, event.prevNode());
            }
            json.writeEndObject();
        }, true);
    }

    /** {"action":…} + newline: the noValueOnSuccess form (spec 5.9). */
    static byte[] actionOnly(Event event) {
        return GoJson.render(json -> {
            json.writeStartObject();
            json.writeStringField("action", event.action().wireName());
            json.writeEndObject();
        }, true);
    }

    static void node(JsonGenerator json, Node node) throws IOException {
        json.writeStartObject();
        if (!node.isRoot()) {
            json.writeStringField("key", node.key());
        }
        if (node.value() != null) {
            json.writeStringField("value", node.value());
        }
        if (node.dir()) {
            json.writeBooleanField("dir", true);
        }
        if (node.expiration() != null) {
            json.writeStringField("expiration", expiration(node.expiration()));
            if (node.ttl() != 0) {
                json.writeNumberField("ttl", node.ttl());
            }
        }
        if (node.nodes() != null && !node.nodes().isEmpty()) {
            json.writeArrayFieldStart("nodes");
            for (Node child : node.nodes()) {
                node(json, child);
            }
            json.writeEndArray();
        }
        if (node.modifiedIndex() != 0) {
            json.writeNumberField("modifiedIndex", node.modifiedIndex());
        }
        if (node.createdIndex() != 0) {
            json.writeNumberField("createdIndex", node.createdIndex());
        }
        json.writeEndObject();
    }

    static String expiration(Instant instant) {
        return RFC3339_NANO.format(instant);
    }

    /** {"errorCode":…,"message":…,"cause":…,"index":…} + newline; cause omitted when empty. */
    static byte[] error(EtcdException e) {
        return GoJson.render(json -> {
            json.writeStartObject();
            json.writeNumberField("errorCode", e.errorCode());
            json.writeStringField("message", e.errorMessage());
            if (e.causeText() != null && !e.causeText().isEmpty()) {
                json.writeStringField("cause", e.causeText());
            }
            json.writeNumberField("index", e.index());
            json.writeEndObject();
        }, true);
    }

    /** {"message":…} without a newline (spec 11.5). */
    static byte[] message(String message) {
        return GoJson.render(json -> {
            json.writeStartObject();
            json.writeStringField("message", message);
            json.writeEndObject();
        }, false);
    }
}
