package org.phrasebook.http;

import java.util.Optional;
import java.util.Set;

/** Stops handling a request with a {@link Problem}; {@link ErrorFilter} answers it. */
public final class ProblemException extends RuntimeException {

    private final Problem problem;
    private final Optional<String> allow;

    private ProblemException(Problem problem, Optional<String> allow) {
        super(problem.slug(), null, false, false);
        this.problem = problem;
        this.allow = allow;
    }

    public ProblemException(Problem problem) {
        this(problem, Optional.empty());
    }

    public static ProblemException of(int status, String slug, Object... arguments) {
        return new ProblemException(Problem.of(status, slug, arguments));
    }

    /** A 405 that names, in the {@code Allow} header, the methods the resource does answer. */
    public static ProblemException methodNotAllowed(Set<String> allowed) {
        return new ProblemException(Problem.of(405, "method-not-allowed"),
                Optional.of(String.join(", ", allowed.stream().sorted().toList())));
    }

    public Problem problem() {
        return problem;
    }

    /** The value of the {@code Allow} header, for a 405. */
    public Optional<String> allow() {
        return allow;
    }
}
