package org.phrasebook.http;

/** Stops handling a request with a {@link Problem}; {@link ErrorFilter} answers it. */
public final class ProblemException extends RuntimeException {

    private final Problem problem;

    public ProblemException(Problem problem) {
        super(problem.slug(), null, false, false);
        this.problem = problem;
    }

    public static ProblemException of(int status, String slug, Object... arguments) {
        return new ProblemException(Problem.of(status, slug, arguments));
    }

    public Problem problem() {
        return problem;
    }
}
