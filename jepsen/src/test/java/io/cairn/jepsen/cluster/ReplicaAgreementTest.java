package io.cairn.jepsen.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.jepsen.client.V2Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaAgreementTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static V2Response listing(long index, String value) throws Exception {
        JsonNode body = JSON.readTree("{\"action\":\"get\",\"node\":{\"dir\":true,\"nodes\":[{\"key\":\"/k\",\"value\":\""
                + value + "\",\"modifiedIndex\":" + index + ",\"createdIndex\":" + index + "}]}}");
        return new V2Response(200, index, body);
    }

    private static Map<String, V2Response> members(V2Response n1, V2Response n2, V2Response n3) {
        Map<String, V2Response> m = new LinkedHashMap<>();
        m.put("n1", n1);
        m.put("n2", n2);
        m.put("n3", n3);
        return m;
    }

    @Test
    void identicalTreesAtOneIndexAgree() throws Exception {
        assertThat(ReplicaAgreement.disagreement(members(listing(7, "a"), listing(7, "a"), listing(7, "a")))).isNull();
    }

    @Test
    void aMemberBehindOrWithAnotherTreeOrAnErrorDisagrees() throws Exception {
        assertThat(ReplicaAgreement.disagreement(members(listing(7, "a"), listing(6, "a"), listing(7, "a"))))
                .isEqualTo("n2 is at index 6, n1 at 7");
        assertThat(ReplicaAgreement.disagreement(members(listing(7, "a"), listing(7, "a"), listing(7, "b"))))
                .isEqualTo("n3 and n1 hold different trees at index 7");
        assertThat(ReplicaAgreement.disagreement(members(listing(7, "a"), new V2Response(500, 0, JSON.readTree("{}")),
                listing(7, "a")))).startsWith("n2 answers 500");
        assertThat(ReplicaAgreement.disagreement(Map.of())).isEqualTo("no member is running");
    }
}
