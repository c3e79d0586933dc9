package org.phrasebook.http.hostile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an oracle allows for one request: the texts an add may store, and the statuses of
 * answers that store nothing (each with the problem slugs it may carry; none listed means
 * any). Alternatives are joined with {@link #or}, e.g. "adds «x», or Jetty refuses the
 * encoded dot segment with a 400".
 */
public final class Expectation {

    private final Set<String> storable;
    private final Map<Integer, Set<String>> refusals;
    private final List<String> reasons;

    private Expectation(Set<String> storable, Map<Integer, Set<String>> refusals, List<String> reasons) {
        this.storable = storable;
        this.refusals = refusals;
        this.reasons = reasons;
    }

    public static Expectation adds(String text, String why) {
        return new Expectation(Set.of(text), Map.of(), List.of(why));
    }

    /** Nothing stored; any of {@code statuses}. */
    public static Expectation refused(String why, Integer... statuses) {
        Map<Integer, Set<String>> refusals = new HashMap<>();
        Arrays.stream(statuses).forEach(status -> refusals.put(status, Set.of()));
        return new Expectation(Set.of(), refusals, List.of(why));
    }

    /** Nothing stored; {@code status} with one of {@code problemSlugs} (problem+json answers). */
    public static Expectation refusedWith(String why, int status, Set<String> problemSlugs) {
        return new Expectation(Set.of(), Map.of(status, Set.copyOf(problemSlugs)), List.of(why));
    }

    /** From the phrase rules' verdict on a text that reached them. */
    public static Expectation ofVerdict(PhraseRules.Verdict verdict, String way) {
        if (verdict.valid()) {
            return adds(verdict.text().orElseThrow(), way + ": the rules accept «" + Decoding.show(verdict.text().get()) + "»");
        }
        Set<String> slugs = new HashSet<>();
        verdict.broken().forEach(b -> slugs.add(b.problemSlug));
        return refusedWith(way + ": the rules refuse it, " + verdict.broken(), 400, slugs);
    }

    public Expectation or(Expectation other) {
        Set<String> texts = new LinkedHashSet<>(storable);
        texts.addAll(other.storable);
        Map<Integer, Set<String>> statuses = new HashMap<>(refusals);
        other.refusals.forEach((status, slugs) -> statuses.merge(status, slugs, (a, b) -> {
            if (a.isEmpty() || b.isEmpty()) {
                return Set.of();
            }
            Set<String> union = new HashSet<>(a);
            union.addAll(b);
            return union;
        }));
        List<String> why = new ArrayList<>(reasons);
        why.addAll(other.reasons);
        return new Expectation(texts, statuses, why);
    }

    public Expectation orRefused(String why, Integer... statuses) {
        return or(refused(why, statuses));
    }

    public boolean mayStore() {
        return !storable.isEmpty();
    }

    public boolean mayStore(String text) {
        return storable.contains(text);
    }

    public boolean allowsRefusal(int status) {
        return refusals.containsKey(status);
    }

    /** The problem slugs allowed with {@code status}; empty when any will do. */
    public Set<String> slugsFor(int status) {
        return refusals.getOrDefault(status, Set.of());
    }

    @Override
    public String toString() {
        StringBuilder shown = new StringBuilder("expected: ");
        storable.forEach(text -> shown.append("adds «").append(Decoding.show(text)).append("»; "));
        refusals.forEach((status, slugs) -> shown.append(status).append(slugs.isEmpty() ? "" : " " + slugs).append(" storing nothing; "));
        return shown.append("because ").append(String.join(" | ", reasons)).toString();
    }
}
