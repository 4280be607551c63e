package io.cairn.server.ctl;

import io.cairn.server.ctl.client.ClientException;
import io.cairn.server.ctl.client.KeysRequest;
import io.cairn.server.ctl.client.KeysRequest.SetOptions;
import io.cairn.server.ctl.client.KeysResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** etcdctl v2's key commands; each maps to exactly the request etcdctl sends (spec 16.2). */
final class KeyCommands {
    private KeyCommands() {}

    /** What every key command shares: the root's options and its positional arguments. */
    abstract static class KeyCommand implements Callable<Integer> {
        @ParentCommand
        CairnCtl root;

        @Parameters(arity = "0..*", hidden = true)
        List<String> args = new ArrayList<>();

        String key() {
            if (args.isEmpty()) {
                throw root.fail(ExitCodes.BAD_ARGS, "key required");
            }
            return args.get(0);
        }

        String value() {
            return root.argOrStdin(args, 1).orElseThrow(() -> root.fail(ExitCodes.BAD_ARGS, "value required"));
        }

        KeysResponse send(KeysRequest request) {
            try {
                return root.client(false).keys(request);
            } catch (ClientException e) {
                throw root.fail(ExitCodes.SERVER_ERROR, e);
            }
        }

        /** Directory commands print nothing in simple mode (etcdctl prints only in json/extended). */
        void printUnlessSimple(KeysResponse r) {
            if (!root.printer().isSimple()) {
                root.printer().print(r);
            }
        }
    }

    @Command(name = "get", description = "retrieve the value of a key")
    static final class Get extends KeyCommand {
        @Option(names = "--sort", description = "returns result in sorted order")
        boolean sort;

        @Option(names = {"--quorum", "-q"}, description = "require quorum for get request")
        boolean quorum;

        @Override
        public Integer call() {
            KeysResponse r = send(KeysRequest.get(key(), false, sort, quorum));
            if (r.node().dir()) {
                root.err.println(r.node().key() + ": is a directory");
                return ExitCodes.BAD_ARGS;
            }
            root.printer().print(r);
            return ExitCodes.SUCCESS;
        }
    }

    @Command(name = "set", description = "set the value of a key")
    static final class Set extends KeyCommand {
        @Option(names = "--ttl", description = "key time-to-live in seconds")
        long ttl;

        @Option(names = "--swap-with-value", description = "previous value")
        String swapWithValue = "";

        @Option(names = "--swap-with-index", description = "previous index")
        long swapWithIndex;

        @Override
        public Integer call() {
            String key = key();
            root.printer().print(send(KeysRequest.set(key, value(), new SetOptions(swapWithValue, swapWithIndex, "", false, ttl))));
            return ExitCodes.SUCCESS;
        }
    }

    @Command(name = "mk", description = "make a new key with a given value")
    static final class Mk extends KeyCommand {
        @Option(names = "--in-order", description = "create in-order key under directory <key>")
        boolean inOrder;

        @Option(names = "--ttl", description = "key time-to-live in seconds")
        long ttl;

        @Override
        public Integer call() {
            String key = key();
            String value = value();
            KeysRequest request = inOrder
                    ? KeysRequest.createInOrder(key, value, ttl)
                    : KeysRequest.set(key, value, new SetOptions("", 0, "false", false, ttl));
            root.printer().print(send(request));
            return ExitCodes.SUCCESS;
        }
    }

    @Command(name = "mkdir", description = "make a new directory")
    static final class Mkdir extends KeyCommand {
        @Option(names = "--ttl", description = "key time-to-live in seconds")
        long ttl;

        @Override
        public Integer call() {
            printUnlessSimple(send(KeysRequest.set(key(), "", new SetOptions("", 0, "false", true, ttl))));
            return ExitCodes.SUCCESS;
        }
    }

    @Command(name = "setdir", description = "create a new directory or update an existing directory TTL")
    static final class Setdir extends KeyCommand {
        @Option(names = "--ttl", description = "key time-to-live in seconds")
        long ttl;

        @Override
        public Integer call() {
            printUnlessSimple(send(KeysRequest.set(key(), "", new SetOptions("", 0, "", true, ttl))));
            return ExitCodes.SUCCESS;
        }
    }

    @Command(name = "update", description = "update an existing key with a given value")
    static final class Update extends KeyCommand {
        @Option(names = "--ttl", description = "key time-to-live in seconds")
        long ttl;

        @Override
        public Integer call() {
            String key = key();
            root.printer().print(send(KeysRequest.set(key, value(), new SetOptions("", 0, "true", false, ttl))));
            return ExitCodes.SUCCESS;
        }
    }

    @Command(name = "updatedir", description = "update an existing directory")
    static final class Updatedir extends KeyCommand {
        @Option(names = "--ttl", description = "key time-to-live in seconds")
        long ttl;

        @Override
        public Integer call() {
            printUnlessSimple(send(KeysRequest.set(key(), "", new SetOptions("", 0, "true", true, ttl))));
            return ExitCodes.SUCCESS;
        }
    }

    @Command(name = "rm", description = "remove a key or a directory")
    static final class Rm extends KeyCommand {
        @Option(names = "--dir", description = "removes the key if it is an empty directory or a key-value pair")
        boolean dir;

        @Option(names = {"--recursive", "-r"}, description = "removes the key and all child keys(if it is a directory)")
        boolean recursive;

        @Option(names = "--with-value", description = "previous value")
        String withValue = "";

        @Option(names = "--with-index", description = "previous index")
        long withIndex;

        @Override
        public Integer call() {
            KeysResponse r = send(KeysRequest.delete(key(), withValue, withIndex, dir, recursive));
            if (!r.node().dir() || !root.printer().isSimple()) {
                root.printer().print(r);
            }
            return ExitCodes.SUCCESS;
        }
    }

    @Command(name = "rmdir", description = "removes the key if it is an empty directory or a key-value pair")
    static final class Rmdir extends KeyCommand {
        @Override
        public Integer call() {
            printUnlessSimple(send(KeysRequest.delete(key(), "", 0, true, false)));
            return ExitCodes.SUCCESS;
        }
    }

    @Command(name = "ls", description = "retrieve a directory")
    static final class Ls extends KeyCommand {
        @Option(names = "--sort", description = "returns result in sorted order")
        boolean sort;

        @Option(names = {"--recursive", "-r"}, description = "returns all key names recursively for the given path")
        boolean recursive;

        @Option(names = "-p", description = "append slash (/) to directories")
        boolean slashDirs;

        @Option(names = {"--quorum", "-q"}, description = "require quorum for get request")
        boolean quorum;

        @Override
        public Integer call() {
            String key = args.isEmpty() ? "/" : args.get(0);
            root.printer().printListing(send(KeysRequest.get(key, recursive, sort, quorum)), slashDirs);
            return ExitCodes.SUCCESS;
        }
    }
}
