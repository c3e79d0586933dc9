package org.phrasebook.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A probe for orchestrators: {@code 200 ok} while the check holds, {@code 503} when it
 * does not. Liveness checks nothing; readiness asks the database.
 */
public final class HealthServlet extends AppServlet {

    private final BooleanSupplier check;

    public HealthServlet(BooleanSupplier check) {
        this.check = check;
    }

    @Override
    protected Set<String> allowedMethods(HttpServletRequest request) {
        return READ;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean healthy = check.getAsBoolean();
        response.setStatus(healthy ? 200 : 503);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain;charset=utf-8");
        response.getOutputStream().write((healthy ? "ok\n" : "unavailable\n").getBytes(StandardCharsets.UTF_8));
    }
}
