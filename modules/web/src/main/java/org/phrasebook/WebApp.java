package org.phrasebook;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.phrasebook.db.ConnectionSource;
import org.phrasebook.http.CrossSiteRequestFilter;
import org.phrasebook.http.ErrorFilter;
import org.phrasebook.http.ErrorPageHandler;
import org.phrasebook.http.ErrorRenderer;
import org.phrasebook.http.HealthServlet;
import org.phrasebook.http.StaticFilesServlet;
import org.phrasebook.http.Templates;
import org.phrasebook.i18n.Messages;
import org.phrasebook.live.LiveUpdates;
import org.phrasebook.phrase.PhraseApiServlet;
import org.phrasebook.phrase.PhraseFormServlet;
import org.phrasebook.phrase.PhraseJson;
import org.phrasebook.phrase.PhrasePagesServlet;
import org.phrasebook.phrase.PhraseRepository;

/**
 * Wires the application: which servlet answers which path, behind which filters.
 * Everything here is built once, at start-up.
 */
public final class WebApp implements AutoCloseable {

    private final ServletContextHandler context;
    private final ErrorPageHandler errorPages;
    private final PhraseRepository phrases;
    private final LiveUpdates live;

    /**
     * @param poolSize    the connections {@code dataSource} holds
     * @param listening   opens the one connection that listens for adds (outside the pool)
     * @param streamLimit most live streams open at once
     */
    public WebApp(DataSource dataSource, int poolSize, ConnectionSource listening, int streamLimit) {
        // Timestamps read as OffsetDateTime by the driver: by default jOOQ asks for text, which the
        // driver formats from the binary value and jOOQ parses again (about 6% of a list page's CPU).
        DSLContext db = DSL.using(dataSource, SQLDialect.POSTGRES,
                new Settings().withExecuteLogging(false).withBindOffsetDateTimeType(true));
        phrases = new PhraseRepository(db, poolSize);
        Messages messages = new Messages();
        Templates templates = new Templates(messages);
        var mapper = PhraseJson.newMapper();
        ErrorRenderer errors = new ErrorRenderer(templates, messages, mapper);
        errorPages = new ErrorPageHandler(errors);
        live = new LiveUpdates(listening, phrases, new PhraseJson(mapper), errorPages, streamLimit);

        context = new ServletContextHandler("/");
        context.setMaxFormContentSize(PhraseFormServlet.MAX_FORM_BYTES);
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        context.setErrorHandler(errorPages);
        context.setBaseResource(ResourceFactory.of(context).newClassLoaderResource("static/"));
        context.getMimeTypes().addMimeMapping("css", "text/css;charset=utf-8");
        context.getMimeTypes().addMimeMapping("js", "text/javascript;charset=utf-8");
        context.getMimeTypes().addMimeMapping("txt", "text/plain;charset=utf-8");
        context.getMimeTypes().addMimeMapping("svg", "image/svg+xml;charset=utf-8");

        // Filters run in the order added: the error filter must wrap everything else.
        context.addFilter(new FilterHolder(new ErrorFilter(errors)), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder(new CrossSiteRequestFilter()), "/phrases", EnumSet.of(DispatcherType.REQUEST));

        context.addServlet(new ServletHolder("pages", new PhrasePagesServlet(phrases, templates)), "/");
        context.addServlet(new ServletHolder("form", new PhraseFormServlet(phrases)), "/phrases");
        context.addServlet(new ServletHolder("api", new PhraseApiServlet(phrases, new PhraseJson(mapper))), "/api/*");
        context.addServlet(new ServletHolder("healthz", new HealthServlet(() -> true)), "/healthz");
        context.addServlet(new ServletHolder("readyz", new HealthServlet(() -> answers(db))), "/readyz");
        context.addServlet(staticFiles(true), "/static/*");
        context.addServlet(staticFiles(false), "/robots.txt");
    }

    /** Live streams first (a Jetty handler of their own), then everything else (servlets). */
    public Handler handler() {
        return new Handler.Sequence(live.handler(), context);
    }

    /** Starts listening for adds, for the live streams; {@link #awaitListening} waits for it. */
    public void start() {
        live.start();
    }

    public void awaitListening() throws InterruptedException {
        live.awaitListening();
    }

    public void bindTo(MeterRegistry registry) {
        phrases.bindTo(registry);
        live.bindTo(registry);
    }

    @Override
    public void close() {
        live.close();
    }

    public ErrorPageHandler errorPages() {
        return errorPages;
    }

    private static ServletHolder staticFiles(boolean underStatic) {
        ServletHolder holder = new ServletHolder(underStatic ? "static" : "robots", StaticFilesServlet.class);
        holder.setInitParameter("pathInfoOnly", Boolean.toString(underStatic));
        holder.setInitParameter("dirAllowed", "false");
        holder.setInitParameter("etags", "true");
        holder.setInitParameter("cacheControl", "public, max-age=3600");
        return holder;
    }

    private static boolean answers(DSLContext db) {
        try {
            db.selectOne().fetch();
            return true;
        } catch (DataAccessException unavailable) {
            return false;
        }
    }
}
