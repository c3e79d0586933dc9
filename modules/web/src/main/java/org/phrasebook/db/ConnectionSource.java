package org.phrasebook.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a connection of its own, outside the pool: for the one that listens for adds. */
@FunctionalInterface
public interface ConnectionSource {

    Connection open() throws SQLException;
}
