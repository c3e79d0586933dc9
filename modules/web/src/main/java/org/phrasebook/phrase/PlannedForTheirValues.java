package org.phrasebook.phrase;

import java.sql.SQLException;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.exception.DataAccessException;
import org.postgresql.PGStatement;

/**
 * Has PostgreSQL plan each search statement for the values it runs with. After five runs of
 * a statement on a connection the JDBC driver prepares it on the server, and PostgreSQL may
 * then keep one plan for every value: a plan made for no pattern in particular. For a query
 * without a trigram that plan reads the whole trigram index (1.7–2.0 s on 1,000,000 rows
 * against 0.2 s reading the table, and about half of them got a 503), and a walk makes the
 * pattern again for every row it reads (docs/PERFORMANCE.md, round 9). Planning each time
 * costs 0.1–0.35 ms a statement.
 */
final class PlannedForTheirValues implements ExecuteListener {

    @Override
    public void prepareEnd(ExecuteContext context) {
        try {
            context.statement().unwrap(PGStatement.class).setPrepareThreshold(0);
        } catch (SQLException e) {
            throw new DataAccessException("The search's statement is not PostgreSQL's", e);
        }
    }
}
