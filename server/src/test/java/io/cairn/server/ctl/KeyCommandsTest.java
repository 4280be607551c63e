package io.cairn.server.ctl;

import static io.cairn.server.testing.FakeV2Server.Reply.keys;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.testing.FakeV2Server;
import io.cairn.server.testing.FakeV2Server.Reply;
import io.cairn.server.testing.TestPorts;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** cairnctl's key commands against a scripted v2 endpoint: requests on the wire and etcdctl's output. */
class KeyCommandsTest {
    private static final String SET_BAR = "{\"action\":\"set\",\"node\":{\"key\":\"/foo\",\"value\":\"bar\",\"modifiedIndex\":9,\"createdIndex\":9}}";
    private FakeV2Server etcd;

    @BeforeEach
    void start() throws Exception {
        etcd = new FakeV2Server().asSingleMember("d8a19b9d5b31b67c", "n1");
    }

    @AfterEach
    void stop() {
        etcd.close();
    }

    private CtlRun ctl(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--endpoints=" + etcd.url();
        System.arraycopy(args, 0, all, 1, args.length);
        return CtlRun.of(all);
    }

    @Test
    void setSendsAFormPutAndPrintsTheValue() {
        etcd.on("/v2/keys", r -> keys(201, SET_BAR, 9));
        CtlRun run = ctl("set", "--ttl", "5", "foo", "bar");
        assertThat(run).isEqualTo(new CtlRun(0, "bar\n", ""));
        FakeV2Server.Request put = etcd.requestsTo("/v2/keys").get(0);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.pathAndQuery()).isEqualTo("/v2/keys/foo");
        assertThat(put.body()).isEqualTo("ttl=5&value=bar");
        assertThat(put.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(etcd.requestsTo("/v2/members")).isNotEmpty(); // synced first, as etcdctl does
    }

    @Test
    void requestMappingFollowsEtcdctl() {
        etcd.on("/v2/keys", r -> keys(200, SET_BAR, 9));
        ctl("set", "--swap-with-value", "old v", "a b", "x");
        ctl("mk", "k", "v");
        ctl("mkdir", "d");
        ctl("update", "k", "v2");
        ctl("updatedir", "--ttl", "9", "d");
        ctl("rm", "--recursive", "d");
        ctl("rmdir", "d");
        ctl("get", "--quorum", "k");
        ctl("ls", "-r", "--sort");
        assertThat(etcd.requestsTo("/v2/keys")).extracting(r -> r.method() + " " + r.pathAndQuery() + " " + r.body())
                .containsExactly(
                        "PUT /v2/keys/a%20b?prevValue=old+v value=x",
                        "PUT /v2/keys/k?prevExist=false value=v",
                        "PUT /v2/keys/d?dir=true&prevExist=false ",
                        "PUT /v2/keys/k?prevExist=true value=v2",
                        "PUT /v2/keys/d?dir=true&prevExist=true ttl=9",
                        "DELETE /v2/keys/d?recursive=true ",
                        "DELETE /v2/keys/d?dir=true ",
                        "GET /v2/keys/k?quorum=true&recursive=false&sorted=false ",
                        "GET /v2/keys/?quorum=false&recursive=true&sorted=true ");
    }

    @Test
    void inOrderCreateIsAPost() {
        etcd.on("/v2/keys", r -> keys(201,
                "{\"action\":\"create\",\"node\":{\"key\":\"/q/00000000000000000014\",\"value\":\"job\",\"modifiedIndex\":14,\"createdIndex\":14}}", 14));
        assertThat(ctl("mk", "--in-order", "q", "job").out()).isEqualTo("job\n");
        assertThat(etcd.requestsTo("/v2/keys").get(0)).extracting(FakeV2Server.Request::method, FakeV2Server.Request::body)
                .containsExactly("POST", "value=job");
    }

    @Test
    void errorsPrintLikeEtcdctlAndExit4() {
        etcd.on("/v2/keys", r -> keys(404, "{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/foo\",\"index\":12}", 12));
        assertThat(ctl("get", "foo")).isEqualTo(new CtlRun(4, "", "Error:  100: Key not found (/foo) [12]\n"));
        assertThat(ctl("-o", "json", "get", "foo").err()).isEqualTo("Error:  100: Key not found (/foo) [12]\n");
    }

    @Test
    void getOnADirectoryExits1() {
        etcd.on("/v2/keys", r -> keys(200, "{\"action\":\"get\",\"node\":{\"key\":\"/d\",\"dir\":true,\"modifiedIndex\":7,\"createdIndex\":7}}", 7));
        assertThat(ctl("get", "d")).isEqualTo(new CtlRun(1, "", "/d: is a directory\n"));
    }

    @Test
    void jsonAndExtendedOutputsMatchEtcdctlByteForByte() {
        // Captured from etcdctl 3.4.23 against etcd 3.4.23 (indexes as in that run).
        etcd.on("/v2/keys", r -> keys(200, "{\"action\":\"set\",\"node\":{\"key\":\"/foo\",\"value\":\"baz<&>\",\"modifiedIndex\":5,\"createdIndex\":5},"
                + "\"prevNode\":{\"key\":\"/foo\",\"value\":\"bar\",\"modifiedIndex\":4,\"createdIndex\":4}}", 5));
        assertThat(ctl("-o", "json", "set", "foo", "baz<&>").out()).isEqualTo(
                "{\"action\":\"set\",\"node\":{\"key\":\"/foo\",\"value\":\"baz\\u003c\\u0026\\u003e\",\"nodes\":null,\"createdIndex\":5,\"modifiedIndex\":5},"
                + "\"prevNode\":{\"key\":\"/foo\",\"value\":\"bar\",\"nodes\":null,\"createdIndex\":4,\"modifiedIndex\":4}}\n");
        etcd.on("/v2/keys", r -> keys(200, "{\"action\":\"set\",\"node\":{\"key\":\"/foo\",\"value\":\"baz2\",\"expiration\":\"2026-11-23T19:55:36.46402174Z\","
                + "\"ttl\":100,\"modifiedIndex\":6,\"createdIndex\":6},\"prevNode\":{\"key\":\"/foo\",\"value\":\"baz\",\"modifiedIndex\":5,\"createdIndex\":5}}", 6));
        assertThat(ctl("-o", "extended", "set", "--ttl", "100", "foo", "baz2").out()).isEqualTo(
                "Key: /foo\nCreated-Index: 6\nModified-Index: 6\nPrevNode.Value: baz\nTTL: 100\nIndex: 6\n\nbaz2\n");
        assertThat(ctl("-o", "json", "get", "foo").out()).isEqualTo(
                "{\"action\":\"set\",\"node\":{\"key\":\"/foo\",\"value\":\"baz2\",\"nodes\":null,\"createdIndex\":6,\"modifiedIndex\":6,"
                + "\"expiration\":\"2026-11-23T19:55:36.46402174Z\",\"ttl\":100},\"prevNode\":{\"key\":\"/foo\",\"value\":\"baz\",\"nodes\":null,"
                + "\"createdIndex\":5,\"modifiedIndex\":5}}\n");
    }

    @Test
    void rmPrintsThePreviousValueAndDirectoryCommandsAreQuietInSimpleMode() {
        etcd.on("/v2/keys", r -> keys(200, "{\"action\":\"delete\",\"node\":{\"key\":\"/foo\",\"modifiedIndex\":9,\"createdIndex\":6},"
                + "\"prevNode\":{\"key\":\"/foo\",\"value\":\"baz2\",\"modifiedIndex\":6,\"createdIndex\":6}}", 9));
        assertThat(ctl("rm", "foo").out()).isEqualTo("PrevNode.Value: baz2\n");
        etcd.on("/v2/keys", r -> keys(200, "{\"action\":\"delete\",\"node\":{\"key\":\"/d\",\"dir\":true,\"modifiedIndex\":10,\"createdIndex\":7},"
                + "\"prevNode\":{\"key\":\"/d\",\"dir\":true,\"modifiedIndex\":7,\"createdIndex\":7}}", 10));
        assertThat(ctl("rmdir", "d")).isEqualTo(new CtlRun(0, "", ""));
        assertThat(ctl("-o", "extended", "rm", "--dir", "d").out())
                .isEqualTo("Key: /d\nCreated-Index: 7\nModified-Index: 10\nPrevNode.Value: \nTTL: 0\nIndex: 10\n");
    }

    @Test
    void lsPrintsTheTreeWithOptionalSlashes() {
        etcd.on("/v2/keys", r -> keys(200, "{\"action\":\"get\",\"node\":{\"dir\":true,\"nodes\":[{\"key\":\"/a\",\"dir\":true,\"nodes\":"
                + "[{\"key\":\"/a/x\",\"value\":\"1\",\"modifiedIndex\":3,\"createdIndex\":3}],\"modifiedIndex\":2,\"createdIndex\":2},"
                + "{\"key\":\"/b\",\"value\":\"2\",\"modifiedIndex\":4,\"createdIndex\":4}]}}", 4));
        assertThat(ctl("ls", "-r", "-p").out()).isEqualTo("/a/\n/a/x\n/b\n");
        assertThat(ctl("ls").out()).isEqualTo("/a\n/a/x\n/b\n");
    }

    @Test
    void valueComesFromStdinWhenNotGiven() {
        etcd.on("/v2/keys", r -> keys(201, SET_BAR, 9));
        CtlRun run = CtlRun.of("from stdin", Map.of(), "--endpoints=" + etcd.url(), "set", "foo");
        assertThat(run.exitCode()).isZero();
        assertThat(etcd.requestsTo("/v2/keys").get(0).body()).isEqualTo("value=from+stdin");
        assertThat(ctl("set", "foo")).isEqualTo(new CtlRun(1, "", "Error:  value required\n"));
        assertThat(ctl("get")).isEqualTo(new CtlRun(1, "", "Error:  key required\n"));
    }

    @Test
    void unreachableEndpointsExit2OrWithoutSync4() {
        String dead = "http://127.0.0.1:" + TestPorts.next();
        String expected = "Error:  client: etcd cluster is unavailable or misconfigured; error #0: dial tcp 127.0.0.1:"
                + dead.substring(dead.lastIndexOf(':') + 1) + ": connect: connection refused\n\n"
                + "error #0: dial tcp 127.0.0.1:" + dead.substring(dead.lastIndexOf(':') + 1) + ": connect: connection refused\n\n";
        assertThat(CtlRun.of("--endpoints=" + dead, "get", "foo")).isEqualTo(new CtlRun(2, "", expected));
        assertThat(CtlRun.of("--no-sync", "--endpoints=" + dead, "get", "foo")).isEqualTo(new CtlRun(4, "", expected));
    }

    @Test
    void aMemberWithoutLeaderIsSkippedForTheNextEndpoint() throws Exception {
        try (FakeV2Server noLeader = new FakeV2Server()) {
            noLeader.on("/v2/keys", r -> Reply.json(503, "{\"message\":\"no leader\"}"));
            etcd.on("/v2/keys", r -> keys(201, SET_BAR, 9));
            CtlRun run = CtlRun.of("--no-sync", "--endpoints=" + noLeader.url() + "," + etcd.url(), "set", "foo", "bar");
            assertThat(run).isEqualTo(new CtlRun(0, "bar\n", ""));
            assertThat(noLeader.requestsTo("/v2/keys")).hasSize(1);
        }
    }

    @Test
    void endpointsComeFromTheEnvironmentToo() {
        etcd.on("/v2/keys", r -> keys(201, SET_BAR, 9));
        assertThat(CtlRun.of("", Map.of("ETCDCTL_ENDPOINTS", etcd.url()), "get", "foo").out()).isEqualTo("bar\n");
        assertThat(CtlRun.of("", Map.of("ETCDCTL_PEERS", etcd.url().replace("http://", "")), "get", "foo").out()).isEqualTo("bar\n");
    }

    @Test
    void unknownCommandsAndFlagsAnswerLikeEtcdctl() {
        assertThat(ctl("bogus")).isEqualTo(new CtlRun(3, "", "No help topic for 'bogus'\n"));
        CtlRun badFlag = ctl("get", "--bogus", "x");
        assertThat(badFlag.exitCode()).isEqualTo(1);
        assertThat(badFlag.out()).startsWith("Incorrect Usage: flag provided but not defined: -bogus\n");
        assertThat(badFlag.err()).isEqualTo("flag provided but not defined: -bogus\n");
        assertThat(CtlRun.of("--version").out()).isEqualTo("etcdctl version: 3.4.23\nAPI version: 2\n");
    }
}
