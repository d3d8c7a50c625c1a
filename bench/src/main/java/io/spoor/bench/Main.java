package io.spoor.bench;

import io.spoor.bench.load.LoadCommand;

import java.util.Arrays;

/** {@code java -jar spoor-bench.jar load|jmh …}. */
public final class Main {

    private static final String USAGE = """
            usage: java -jar spoor-bench.jar <command> [args]
              load [options]   OTLP load generator against a running server (load --help for options)
              jmh [JMH args]   JMH micro-benchmarks (jmh -h for JMH's options, jmh -l to list)
            """;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.print(USAGE);
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "load" -> System.exit(LoadCommand.run(rest, System.out, System.err));
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "-h", "--help", "help" -> System.out.print(USAGE);
            default -> {
                System.err.print("unknown command " + args[0] + "\n" + USAGE);
                System.exit(2);
            }
        }
    }
}
