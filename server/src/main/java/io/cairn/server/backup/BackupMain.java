package io.cairn.server.backup;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * {@code cairn-backup}: saves the key space through the v2 API to a JSON file, or restores one.
 * Works against Cairn and etcd alike, because it only speaks the public API.
 *
 * <pre>
 * cairn-backup save --endpoints http://cairn-client:2379 --dir /backups [--keep 7]
 * cairn-backup restore --endpoints http://host:2379 --file /backups/cairn-....json
 * </pre>
 */
public final class BackupMain {
    private BackupMain() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(Arrays.asList(args)));
        } catch (IllegalArgumentException e) {
            System.err.println("cairn-backup: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
        } catch (IOException | BackupException e) {
            System.err.println("cairn-backup: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        }
    }

    static int run(List<String> args) throws IOException, InterruptedException {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a command is required");
        }
        Options options = Options.parse(args.subList(1, args.size()));
        V2KeysClient client = new V2KeysClient(URI.create(options.endpoint()));
        switch (args.get(0)) {
            case "save" -> {
                Path written = new BackupWriter(client, Clock.systemUTC())
                        .save(Path.of(options.require("--dir")), Integer.parseInt(options.get("--keep", "7")));
                System.out.println("saved " + written);
            }
            case "restore" -> {
                int restored = new BackupRestorer(client).restore(Path.of(options.require("--file")));
                System.out.println("restored " + restored + " nodes");
            }
            default -> throw new IllegalArgumentException("unknown command " + args.get(0));
        }
        return 0;
    }

    static String usage() {
        return "usage: cairn-backup save --endpoints URL --dir DIR [--keep N]\n"
                + "       cairn-backup restore --endpoints URL --file FILE";
    }
}
