package io.cairn.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Strings come out byte for byte as Go's encoding/json writes them (spec 1.8). */
class GoJsonTest {
    private static String encode(String s) {
        return new String(GoJson.render(json -> json.writeString(s), false), StandardCharsets.UTF_8);
    }

    @Test
    void escapesLikeGo() {
        assertThat(encode("<a&b>")).isEqualTo("\"\\u003ca\\u0026b\\u003e\"");
        assertThat(encode("line\nfeed\ttab\rret")).isEqualTo("\"line\\nfeed\\ttab\\rret\"");
        assertThat(encode("\b\f\u0001\u001f")).isEqualTo("\"\\u0008\\u000c\\u0001\\u001f\"");
        assertThat(encode("quote\" back\\ slash/")).isEqualTo("\"quote\\\" back\\\\ slash/\"");
        assertThat(encode("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
        assertThat(encode("ü 日本 \uD83D\uDE00")).isEqualTo("\"ü 日本 \uD83D\uDE00\"");
    }
}
