package org.phrasebook;

import java.io.PrintStream;
import java.util.List;

/**
 * The few command-line arguments the jar takes: Phrasebook is configured by its environment,
 * so {@code --help} lists the variables and {@code --version} says which build this is.
 */
final class CommandLine {

    private CommandLine() {
    }

    /** Answers the arguments and returns the exit status. */
    static int answer(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() == 1 && List.of("--help", "-h").contains(args.get(0))) {
            out.print(help());
            return 0;
        }
        if (args.equals(List.of("--version"))) {
            out.println("phrasebook " + version());
            return 0;
        }
        err.println("Unknown argument '" + String.join(" ", args)
                + "': Phrasebook takes only --help or --version and is configured by environment variables (see --help)");
        return 2;
    }

    static String help() {
        StringBuilder text = new StringBuilder("""
                Phrasebook %s: visitors add phrases and see every phrase ever added.

                Usage: java -jar phrasebook-web.jar [--help | --version]

                Configured by environment variables:

                """.formatted(version()));
        int width = 0;
        for (Setting setting : Setting.values()) {
            width = Math.max(width, setting.name().length());
        }
        for (Setting setting : Setting.values()) {
            String fallback = setting.fallback() == null ? "(none)" : setting.fallback();
            text.append(("  %-" + width + "s  %s%n").formatted(setting.name(), setting.meaning()))
                    .append(("  %-" + width + "s  default: %s%n").formatted("", fallback));
        }
        return text.toString();
    }

    /** From the jar's manifest; classes run outside the jar (tests, an IDE) have none. */
    static String version() {
        String version = CommandLine.class.getPackage().getImplementationVersion();
        return version != null ? version : "(development build)";
    }
}
