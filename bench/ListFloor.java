import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * The list page with the least work a JVM does for it, for bench/floor.sh: the app's own
 * Jetty, HikariCP and PostgreSQL driver, the app's SQL for the newest page, and the same
 * rows' markup escaped into a StringBuilder; no servlet layer, template engine, jOOQ,
 * logging, metrics or security headers. Not a product: a measure of how far the app's rate
 * is from what its stack can do on this machine (docs/PERFORMANCE.md, Round 12).
 *
 * <p>bench/floor.sh compiles and runs it with the app's lib/ on the class path, without
 * logback (whose default configuration would log every request at DEBUG); it reads PORT,
 * DATABASE_URL and DATABASE_USER.
 */
public class ListFloor {

    private static final String PAGE_SQL = "select \"phrase\".\"id\", \"phrase\".\"text\", \"phrase\".\"created_at\" "
            + "from \"phrase\" order by \"phrase\".\"id\" desc fetch next ? rows only";

    /** The page around the list, padded to about the app's (2 KB: head, header, forms). */
    private static final String TOP = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n"
            + "  <title>Phrasebook</title>\n  <link rel=\"stylesheet\" href=\"/static/style.css\">\n</head>\n<body>\n"
            + "  <header><a class=\"brand\" href=\"/\">Phrasebook</a></header>\n  <main>\n"
            + "    <p>" + "Every phrase ever added, newest first. ".repeat(40) + "</p>\n"
            + "    <ol class=\"phrases\">\n";
    private static final String BOTTOM = "    </ol>\n  </main>\n</body>\n</html>\n";

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(System.getenv("DATABASE_URL"));
        config.setUsername(System.getenv("DATABASE_USER"));
        config.setMaximumPoolSize(16); // one connection per client: no waiting for the pool
        HikariDataSource pool = new HikariDataSource(config);
        Server server = new Server(Integer.parseInt(System.getenv("PORT")));
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                byte[] body = page(pool).getBytes(StandardCharsets.UTF_8);
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, ByteBuffer.wrap(body), callback);
                return true;
            }
        });
        server.start();
        server.join();
    }

    private static String page(HikariDataSource pool) throws Exception {
        StringBuilder page = new StringBuilder(16_384).append(TOP);
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(PAGE_SQL)) {
            statement.setInt(1, 51);
            try (ResultSet rows = statement.executeQuery()) {
                for (int n = 0; n < 50 && rows.next(); n++) {
                    long id = rows.getLong(1);
                    OffsetDateTime at = rows.getObject(3, OffsetDateTime.class);
                    page.append("      <li data-id=\"").append(id).append("\">\n        <span class=\"number\">#").append(id)
                            .append("</span>\n        <span class=\"text\">");
                    escape(rows.getString(2), page);
                    page.append("</span>\n        <time datetime=\"").append(at.toInstant()).append("\">")
                            .append(at.toLocalDate()).append(' ').append(at.toLocalTime().withSecond(0).withNano(0))
                            .append(" UTC</time>\n      </li>\n");
                }
            }
        }
        return page.append(BOTTOM).toString();
    }

    private static void escape(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
    }
}
