package io.cairn.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ResponsesTest {
    @Test
    void theDateHeaderIsGosFormatOfTheCurrentSecond() {
        Instant t = Instant.parse("2026-12-07T16:50:01.250Z");
        String first = Responses.httpDate(t);
        assertThat(first).isEqualTo("Mon, 07 Dec 2026 16:50:01 GMT");
        assertThat(Responses.httpDate(t.plusMillis(700))).isSameAs(first); // same second: formatted once
        assertThat(Responses.httpDate(t.plusMillis(750))).isEqualTo("Mon, 07 Dec 2026 16:50:02 GMT");
        assertThat(Responses.httpDate(Instant.parse("2027-01-01T00:00:00Z"))).isEqualTo("Fri, 01 Jan 2027 00:00:00 GMT");
    }
}
