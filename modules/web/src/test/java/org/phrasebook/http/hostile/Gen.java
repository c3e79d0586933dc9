package org.phrasebook.http.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A generator of random values, driven by a seeded {@link Random} so every try can be
 * replayed from its seed. Just enough combinators for the hostile-input tests.
 */
@FunctionalInterface
public interface Gen<T> {

    T next(Random random);

    default <R> Gen<R> map(Function<? super T, ? extends R> mapper) {
        return random -> mapper.apply(next(random));
    }

    static <T> Gen<T> constant(T value) {
        return random -> value;
    }

    @SafeVarargs
    static <T> Gen<T> oneOf(T... values) {
        return oneOf(List.of(values));
    }

    static <T> Gen<T> oneOf(List<? extends T> values) {
        return random -> values.get(random.nextInt(values.size()));
    }

    static Gen<Integer> between(int min, int max) {
        return random -> min + random.nextInt(max - min + 1);
    }

    static Gen<Boolean> chance(double probability) {
        return random -> random.nextDouble() < probability;
    }

    static <T> Gen<List<T>> listOf(Gen<? extends T> element, int min, int max) {
        return random -> {
            int size = min + random.nextInt(max - min + 1);
            List<T> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(element.next(random));
            }
            return list;
        };
    }

    /** Strings of {@code min..max} characters drawn from {@code alphabet}. */
    static Gen<String> stringOf(String alphabet, int min, int max) {
        return random -> {
            int size = min + random.nextInt(max - min + 1);
            StringBuilder text = new StringBuilder(size);
            for (int i = 0; i < size; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return text.toString();
        };
    }

    static <T> Choices<T> choices() {
        return new Choices<>();
    }

    /** Picks one of several generators, each with a weight. */
    final class Choices<T> implements Gen<T> {
        private final List<Integer> weights = new ArrayList<>();
        private final List<Gen<? extends T>> gens = new ArrayList<>();
        private int total;

        public Choices<T> or(int weight, Gen<? extends T> gen) {
            weights.add(weight);
            gens.add(gen);
            total += weight;
            return this;
        }

        @Override
        public T next(Random random) {
            int pick = random.nextInt(total);
            for (int i = 0; i < gens.size(); i++) {
                pick -= weights.get(i);
                if (pick < 0) {
                    return gens.get(i).next(random);
                }
            }
            throw new IllegalStateException("unreachable");
        }
    }
}
