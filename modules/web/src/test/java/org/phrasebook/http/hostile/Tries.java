package org.phrasebook.http.hostile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs a property over generated inputs. Every try has its own seed; a failing try is
 * reported with its seed and its input, and {@code -Dhostile.replay=<seed>} runs that one
 * try again. Unlike a stop-at-first runner it goes on after a failure and reports every
 * distinct kind of failure it met (up to a few examples each), so one defect does not hide
 * the next. {@code -Dhostile.seed=<n>} fixes the run's base seed, {@code -Dhostile.tries=<n>}
 * overrides every property's number of tries.
 */
public final class Tries {

    /** A check of one input; any Throwable (AssertionError, IOException...) is a failure. */
    @FunctionalInterface
    public interface Check<T> {
        void check(T input) throws Exception;
    }

    private static final int EXAMPLES_PER_KIND = 2;
    private static final int MAX_FAILURES = 150;
    private static final Map<String, Integer> ANSWERS = new java.util.TreeMap<>();

    private Tries() {
    }

    public static <T> void run(String property, int tries, Gen<T> inputs, Check<T> check) {
        String replay = System.getProperty("hostile.replay");
        if (replay != null && !replay.isBlank()) {
            long seed = Long.parseLong(replay.trim());
            T input = inputs.next(new Random(seed));
            try {
                check.check(input);
            } catch (Throwable e) {
                throw new AssertionError(property + " failed for seed " + seed + "\ninput: " + input + "\n" + e, e);
            }
            return;
        }
        long base = Long.getLong("hostile.seed", new Random().nextLong());
        int count = Integer.getInteger("hostile.tries", tries);
        Map<String, List<String>> failuresByKind = new LinkedHashMap<>();
        int failed = 0;
        for (int i = 0; i < count && failed < MAX_FAILURES; i++) {
            long seed = base + i;
            T input = inputs.next(new Random(seed));
            try {
                check.check(input);
            } catch (Throwable e) {
                failed++;
                List<String> examples = failuresByKind.computeIfAbsent(kind(e), k -> new ArrayList<>());
                if (examples.size() < EXAMPLES_PER_KIND) {
                    examples.add("seed " + seed + "\n    input: " + input + "\n    " + e.toString().replace("\n", "\n    "));
                }
            }
        }
        System.out.println(property + ": " + count + " tries, " + failed + " failed; answers " + ANSWERS);
        ANSWERS.clear();
        if (failed > 0) {
            StringBuilder report = new StringBuilder(property + ": " + failed + " failed tries"
                    + (failed >= MAX_FAILURES ? " (stopped early)" : "") + " of " + count + " (base seed " + base
                    + "), " + failuresByKind.size() + " kind(s); replay one with -Dhostile.replay=<seed>\n");
            failuresByKind.forEach((kind, examples) -> {
                report.append("\n== ").append(kind).append('\n');
                examples.forEach(example -> report.append("  ").append(example).append('\n'));
            });
            throw new AssertionError(report.toString());
        }
    }

    /** Counts an outcome (e.g. "303 added"), for the summary line each property prints. */
    public static void note(String outcome) {
        ANSWERS.merge(outcome, 1, Integer::sum);
    }

    /** Failures with the same first line (the broken rule, the status) are one kind. */
    private static String kind(Throwable e) {
        String message = String.valueOf(e.getMessage());
        String first = message.lines().findFirst().orElse("").replaceAll("\\d+", "#");
        return e.getClass().getSimpleName() + ": " + (first.length() > 160 ? first.substring(0, 160) : first);
    }
}
