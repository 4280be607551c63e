package io.cairn.server.ctl;

import java.io.InputStream;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine;

/** Entry point of {@code cairnctl}, etcdctl v2's command set for Cairn (and etcd). */
public final class CairnCtlMain {
    static final String VERSION = "3.4.23";

    private CairnCtlMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.in, System.getenv(), new SecureRandom()));
    }

    /** Runs one command and returns its exit code (never calls System.exit). */
    public static int run(String[] args, PrintStream out, PrintStream err, InputStream in, Map<String, String> env, Random shuffle) {
        CairnCtl root = new CairnCtl(out, err, in, env, shuffle);
        CommandLine commandLine = new CommandLine(root);
        commandLine.setStopAtPositional(true); // like urfave/cli: options end at the first argument
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        commandLine.getCommandSpec().version("etcdctl version: " + VERSION, "API version: 2");
        commandLine.setParameterExceptionHandler((e, ignored) -> usageError(e, out, err));
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CtlExit exit) {
                return exit.code();
            }
            throw e;
        });
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** etcdctl's answers to an unknown command or flag. */
    private static int usageError(CommandLine.ParameterException e, PrintStream out, PrintStream err) {
        CommandLine failing = e.getCommandLine();
        boolean atRoot = failing.getParent() == null;
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String arg = unmatched.getUnmatched().get(0);
            if (!arg.startsWith("-")) {
                err.println("No help topic for '" + arg + "'");
                return ExitCodes.BAD_AUTH; // etcdctl exits 3 here
            }
            String flag = arg.replaceFirst("^--?", "").replaceFirst("=.*$", "");
            out.println("Incorrect Usage" + (atRoot ? ". " : ": ") + "flag provided but not defined: -" + flag);
            out.println();
            failing.usage(out);
            err.println("flag provided but not defined: -" + flag);
            return ExitCodes.BAD_ARGS;
        }
        out.println("Incorrect Usage" + (atRoot ? ". " : ": ") + e.getMessage());
        out.println();
        failing.usage(out);
        err.println(e.getMessage());
        return ExitCodes.BAD_ARGS;
    }
}
