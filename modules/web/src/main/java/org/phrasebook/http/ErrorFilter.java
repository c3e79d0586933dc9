package org.phrasebook.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.jooq.exception.DataAccessException;
import org.phrasebook.phrase.InvalidPhraseException;
import org.phrasebook.phrase.InvalidSearchException;
import org.phrasebook.phrase.SearchBusyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps every failure of the application to an HTTP answer, in one place: problems and
 * invalid phrases to their status, an unreachable database to 503, anything else to a
 * 500 that logs the stack trace but never shows it.
 */
public final class ErrorFilter extends HttpFilter {

    private static final Logger log = LoggerFactory.getLogger(ErrorFilter.class);

    private final ErrorRenderer renderer;

    public ErrorFilter(ErrorRenderer renderer) {
        this.renderer = renderer;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } catch (ProblemException e) {
            e.allow().ifPresent(methods -> response.setHeader("Allow", methods));
            send(request, response, e.problem());
        } catch (InvalidPhraseException e) {
            send(request, response, Problem.invalidPhrase(e.reason()));
        } catch (InvalidSearchException e) {
            send(request, response, Problem.invalidSearch(e.reason()));
        } catch (SearchBusyException e) {
            send(request, response, Problem.of(503, "search-busy"));
        } catch (DataAccessException e) {
            if (isTimedOut(e)) {
                log.warn("Search timed out for {} {}", request.getMethod(), request.getRequestURI());
                send(request, response, Problem.of(503, "search-timeout"));
                return;
            }
            if (!isUnavailable(e)) {
                fail(request, response, e);
                return;
            }
            log.warn("Database unavailable for {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
            send(request, response, Problem.forStatus(503));
        } catch (IOException e) {
            clientFailed(request, response, e);
        } catch (RuntimeException e) {
            if (e instanceof HttpException http) {
                // Jetty's own verdict on the request (BadMessageException among them), e.g. 400
                // for a body that ended early.
                send(request, response, Problem.forStatus(http.getCode()));
            } else {
                fail(request, response, e);
            }
        } catch (ServletException e) {
            fail(request, response, e);
        }
    }

    /**
     * Reading the request or writing the answer failed on the client's side: a body that
     * stalled (idle timeout), came too slowly or ended early, or a client that left. Not the
     * app's failure: one line, no stack trace, and a 408 or 400 if the client still listens.
     */
    private void clientFailed(HttpServletRequest request, HttpServletResponse response, IOException e) throws IOException {
        boolean timedOut = hasCause(e, TimeoutException.class);
        log.info("{} {} ended on the client's side: {}", request.getMethod(), request.getRequestURI(), e.toString());
        if (response.isCommitted()) {
            return;
        }
        try {
            send(request, response, Problem.forStatus(timedOut ? 408 : 400));
        } catch (IOException clientGone) {
            // nobody is listening any more
        }
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** The statement timeout of a search (query_canceled). */
    static boolean isTimedOut(DataAccessException e) {
        return "57014".equals(e.sqlState());
    }

    /**
     * Lost, refused or timed-out connections, a database shutting down, a lock not granted in
     * time (55P03, see ConnectionPool); not a failed statement.
     */
    static boolean isUnavailable(DataAccessException e) {
        String state = e.sqlState();
        return state.startsWith("08") || state.startsWith("57P") || state.equals("55P03")
                || e.getCause() instanceof SQLTransientConnectionException
                || e.getCause() instanceof SQLNonTransientConnectionException;
    }

    private void fail(HttpServletRequest request, HttpServletResponse response, Exception e) throws IOException {
        log.error("Failed {} {}", request.getMethod(), request.getRequestURI(), e);
        send(request, response, Problem.forStatus(500));
    }

    private void send(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException {
        if (response.isCommitted()) {
            log.warn("Cannot answer {} {} with {}: the response is already committed",
                    request.getMethod(), request.getRequestURI(), problem.slug());
            return;
        }
        boolean api = ErrorRenderer.isApiPath(request.getRequestURI());
        String formText = api || !"POST".equals(request.getMethod()) ? null : Pages.parameter(request, "text");
        ErrorRenderer.Rendered page = renderer.render(problem, api, Pages.language(request), formText,
                Pages.isLanguageChosen(request));
        response.resetBuffer();
        response.setStatus(page.status());
        response.setHeader("Cache-Control", "no-store");
        if (problem.status() == 503) {
            response.setHeader("Retry-After", "5");
        }
        response.setContentType(page.contentType());
        response.getOutputStream().write(page.body());
    }
}
