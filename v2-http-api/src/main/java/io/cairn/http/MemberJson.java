package io.cairn.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.cairn.kv.Member;
import java.io.IOException;
import java.util.List;

/** {"id":"hex","name":…,"peerURLs":[…],"clientURLs":[…]} (spec 13.2): arrays never null. */
final class MemberJson {
    private MemberJson() {
    }

    static void write(JsonGenerator json, Member m) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", Long.toHexString(m.id()));
        json.writeStringField("name", m.name() == null ? "" : m.name());
        strings(json, "peerURLs", m.peerUrls());
        strings(json, "clientURLs", m.clientUrls());
        json.writeEndObject();
    }

    private static void strings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String v : values == null ? List.<String>of() : values) {
            json.writeString(v);
        }
        json.writeEndArray();
    }

    static byte[] one(Member m) {
        return GoJson.render(json -> write(json, m), true);
    }

    static byte[] list(List<Member> members) {
        return GoJson.render(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("members");
            for (Member m : members) {
                write(json, m);
            }
            json.writeEndArray();
            json.writeEndObject();
        }, true);
    }
}
