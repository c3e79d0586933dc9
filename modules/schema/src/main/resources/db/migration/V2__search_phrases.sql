-- Search (?q=) finds the phrases whose text contains the query, ignoring letter case:
-- text ILIKE '%query%', which a trigram index serves for queries of three characters or
-- more, whatever the table's size. pg_trgm comes with PostgreSQL (contrib) and is a
-- trusted extension; the project's database image creates it at its first start, as the
-- superuser, because the app's role may not. Elsewhere this creates it where the role
-- may, and otherwise stops the migration with a line that says what to run.
-- jOOQ's code generator reads these files without a database and skips this part: it
-- has no tables or columns for the generated classes.
-- [jooq ignore start]
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_trgm') THEN
        BEGIN
            CREATE EXTENSION pg_trgm;
        EXCEPTION
            WHEN insufficient_privilege THEN
                RAISE EXCEPTION 'The extension pg_trgm is missing from database "%" and role "%" may not create it. As a superuser, run: CREATE EXTENSION pg_trgm; in that database, then start again (the project''s database image does this on its first start).',
                    current_database(), current_user;
            WHEN undefined_file THEN
                RAISE EXCEPTION 'The extension pg_trgm is not installed on the database server (it is part of PostgreSQL''s contrib modules, e.g. the package postgresql-contrib); install it, then start again.';
        END;
    END IF;
END
$$;

CREATE INDEX phrase_text_trigram ON phrase USING gin (text gin_trgm_ops);
-- [jooq ignore stop]
