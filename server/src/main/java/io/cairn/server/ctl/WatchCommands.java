package io.cairn.server.ctl;

import io.cairn.server.ctl.client.ClientException;
import io.cairn.server.ctl.client.KeysRequest;
import io.cairn.server.ctl.client.KeysResponse;
import io.cairn.server.ctl.client.V2Client;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code watch} and {@code exec-watch}: repeated long polls, each resuming after the last event seen. */
final class WatchCommands {
    private WatchCommands() {}

    /** Follows one key (or subtree) from an index, as the Go client's watcher does. */
    static final class Watcher {
        private final CairnCtl root;
        private final V2Client client;
        private final String key;
        private final boolean recursive;
        private long waitIndex;

        Watcher(CairnCtl root, String key, boolean recursive, long afterIndex) {
            this.root = root;
            this.client = root.client(true);
            this.key = key;
            this.recursive = recursive;
            this.waitIndex = afterIndex > 0 ? afterIndex + 1 : 0;
        }

        KeysResponse next() {
            while (true) {
                try {
                    KeysResponse r = client.keys(KeysRequest.watch(key, recursive, waitIndex));
                    waitIndex = r.node().modifiedIndex() + 1;
                    return r;
                } catch (V2Client.EmptyBodyException e) {
                    // the server ended the poll without an event: ask again
                } catch (ClientException e) {
                    throw root.fail(ExitCodes.SERVER_ERROR, e);
                }
            }
        }
    }

    @Command(name = "watch", description = "watch a key for changes")
    static final class Watch implements Callable<Integer> {
        @ParentCommand
        CairnCtl root;

        @Option(names = {"--forever", "-f"}, description = "forever watch a key until CTRL+C")
        boolean forever;

        @Option(names = "--after-index", description = "watch after the given index")
        long afterIndex;

        @Option(names = {"--recursive", "-r"}, description = "returns all values for key and child keys")
        boolean recursive;

        @Parameters(arity = "0..*", hidden = true)
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            if (args.isEmpty()) {
                throw root.fail(ExitCodes.BAD_ARGS, "key required");
            }
            Watcher watcher = new Watcher(root, args.get(0), recursive, afterIndex);
            while (true) {
                KeysResponse r = watcher.next();
                if (r.node().dir()) {
                    continue;
                }
                if (recursive) {
                    root.out.println("[" + r.action() + "] " + r.node().key());
                }
                root.printer().print(r);
                if (!forever) {
                    return ExitCodes.SUCCESS;
                }
            }
        }
    }

    @Command(name = "exec-watch", description = "watch a key for changes and exec an executable")
    static final class ExecWatch implements Callable<Integer> {
        @ParentCommand
        CairnCtl root;

        @Option(names = "--after-index", description = "watch after the given index")
        long afterIndex;

        @Option(names = {"--recursive", "-r"}, description = "watch all values for key and child keys")
        boolean recursive;

        @Parameters(arity = "0..*", hidden = true)
        List<String> args = new ArrayList<>();

        /** Stops after this many events; only tests lower it. */
        long maxEvents = Long.MAX_VALUE;

        @Override
        public Integer call() throws IOException {
            List<String> rest = new ArrayList<>(args);
            rest.remove("--");
            if (rest.size() < 2) {
                throw root.fail(ExitCodes.BAD_ARGS, "key and command to exec required");
            }
            String key = rest.get(0);
            List<String> command = rest.subList(1, rest.size());
            Watcher watcher = new Watcher(root, key, recursive, afterIndex);
            for (long seen = 0; seen < maxEvents; ) {
                KeysResponse r = watcher.next();
                if (r.node().dir()) {
                    root.err.println("Ignored dir " + r.node().key() + " change");
                    continue;
                }
                seen++;
                ProcessBuilder process = new ProcessBuilder(command).inheritIO();
                Map<String, String> env = process.environment();
                env.put("ETCD_WATCH_ACTION", r.action());
                env.put("ETCD_WATCH_MODIFIED_INDEX", Long.toUnsignedString(r.node().modifiedIndex()));
                env.put("ETCD_WATCH_KEY", r.node().key());
                env.put("ETCD_WATCH_VALUE", r.node().value());
                try {
                    process.start(); // not awaited: the next event may arrive while it runs, as with etcdctl
                } catch (IOException e) {
                    root.err.print(e.getMessage());
                    return ExitCodes.BAD_ARGS;
                }
            }
            return ExitCodes.SUCCESS;
        }
    }
}
