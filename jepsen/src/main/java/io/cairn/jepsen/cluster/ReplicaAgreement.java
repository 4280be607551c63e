package io.cairn.jepsen.cluster;

import io.cairn.jepsen.client.V2Response;
import java.util.Map;

/** Compares the whole-tree listings that members gave from their own state once traffic stopped. */
final class ReplicaAgreement {
    private ReplicaAgreement() {
    }

    /**
     * @param listings member name to its answer to a sorted recursive GET of the root
     * @return null when all answered 200 with the same tree at the same X-Etcd-Index, else what differs
     */
    static String disagreement(Map<String, V2Response> listings) {
        String firstName = null;
        V2Response first = null;
        for (Map.Entry<String, V2Response> e : listings.entrySet()) {
            V2Response r = e.getValue();
            if (r.status() != 200) {
                return e.getKey() + " answers " + r.status() + " " + r.body();
            }
            if (first == null) {
                firstName = e.getKey();
                first = r;
            } else if (r.etcdIndex() != first.etcdIndex()) {
                return e.getKey() + " is at index " + r.etcdIndex() + ", " + firstName + " at " + first.etcdIndex();
            } else if (!r.body().equals(first.body())) {
                return e.getKey() + " and " + firstName + " hold different trees at index " + r.etcdIndex();
            }
        }
        return first == null ? "no member is running" : null;
    }
}
