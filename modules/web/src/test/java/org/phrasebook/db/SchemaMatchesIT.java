package org.phrasebook.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phrasebook.schema.DefaultSchema;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/**
 * The jOOQ classes are generated from the migration scripts replayed in an in-memory
 * database; this checks them against the schema Flyway really built in PostgreSQL.
 */
class SchemaMatchesIT {

    private static DSLContext db;

    @BeforeAll
    static void migrated() {
        TestServer.http(); // starting the server migrates the shared database
        db = TestDatabase.get().dsl();
    }

    @Test
    void generatedTablesAndColumnsMatchTheMigratedDatabase() {
        assertThat(DefaultSchema.DEFAULT_SCHEMA.getTables()).isNotEmpty();
        for (Table<?> generated : DefaultSchema.DEFAULT_SCHEMA.getTables()) {
            List<Table<?>> live = db.meta().getTables(generated.getName()).stream()
                    .filter(t -> t.getSchema() != null && t.getSchema().getName().equals("public"))
                    .toList();
            assertThat(live).as("table %s in the database", generated.getName()).hasSize(1);
            Table<?> table = live.get(0);
            assertThat(names(table.fields())).as(generated.getName()).containsExactlyElementsOf(names(generated.fields()));
            for (Field<?> field : generated.fields()) {
                Field<?> actual = table.field(field.getName());
                assertThat(actual.getDataType().getSQLDataType()).as(field.getName())
                        .isEqualTo(field.getDataType().getSQLDataType());
                assertThat(actual.getDataType().nullable()).as(field.getName() + " nullable")
                        .isEqualTo(field.getDataType().nullable());
                assertThat(actual.getDataType().identity()).as(field.getName() + " identity")
                        .isEqualTo(field.getDataType().identity());
            }
            assertThat(table.getPrimaryKey()).as(generated.getName() + " primary key").isNotNull();
            assertThat(table.getPrimaryKey().getName()).isEqualTo(generated.getPrimaryKey().getName());
            assertThat(names(table.getPrimaryKey().getFields())).isEqualTo(names(generated.getPrimaryKey().getFields()));
        }
    }

    @Test
    void theDatabaseEnforcesTheLengthBoundToo() {
        assertThatThrownBy(() -> db.execute("insert into phrase(text) values (?)", "a".repeat(281)))
                .hasMessageContaining("phrase_text_length");
        assertThatThrownBy(() -> db.execute("insert into phrase(text) values ('')"))
                .hasMessageContaining("phrase_text_length");
    }

    private static List<String> names(Field<?>[] fields) {
        return List.of(fields).stream().map(Field::getName).toList();
    }

    private static List<String> names(List<? extends Field<?>> fields) {
        return fields.stream().map(f -> f.getName()).toList();
    }
}
