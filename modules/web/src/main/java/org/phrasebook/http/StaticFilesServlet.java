package org.phrasebook.http;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee10.servlet.ResourceServlet;

/** Jetty's file serving (ETags, ranges, caching) for {@code /static/}, limited to GET and HEAD. */
public final class StaticFilesServlet extends ResourceServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (!AppServlet.READ.contains(request.getMethod())) {
            throw ProblemException.methodNotAllowed(AppServlet.READ);
        }
        // /static and /static/ are no file: a 404 like any missing one (Jetty would redirect or refuse).
        String file = request.getPathInfo();
        if (request.getServletPath().equals("/static") && (file == null || file.equals("/"))) {
            throw ProblemException.of(404, "not-found");
        }
        super.service(request, response);
    }
}
