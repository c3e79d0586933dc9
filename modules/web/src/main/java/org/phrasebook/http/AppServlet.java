package org.phrasebook.http;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * A servlet that answers only the methods its resource supports, with a 405 and an
 * {@code Allow} header for the rest. Unlike {@link HttpServlet}'s defaults, it never
 * echoes a request back ({@code TRACE}) nor answers {@code OPTIONS} by itself.
 */
public abstract class AppServlet extends HttpServlet {

    /** GET and HEAD: reading, never changing anything. */
    public static final Set<String> READ = Set.of("GET", "HEAD");

    /** The methods the resource at this request's path answers. */
    protected abstract Set<String> allowedMethods(HttpServletRequest request);

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        Set<String> allowed = allowedMethods(request);
        if (!allowed.contains(request.getMethod())) {
            throw ProblemException.methodNotAllowed(allowed);
        }
        super.service(request, response);
    }
}
