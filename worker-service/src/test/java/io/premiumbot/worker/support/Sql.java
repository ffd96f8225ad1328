package io.premiumbot.worker.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Plain JDBC for the test fixtures: one statement on its own connection, parameters in order; or several in one
 * transaction where the database wants them together (a balance moves only with its ledger entry).
 */
final class Sql {

    private final DataSource db;

    Sql(DataSource db) {
        this.db = db;
    }

    void update(String sql, Object... args) {
        try (Connection connection = db.getConnection();
                PreparedStatement statement = prepare(connection, sql, args)) {
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs {@code work} on one connection in one transaction: all of it commits, or none of it. */
    <T> T inTransaction(Work<T> work) {
        try (Connection connection = db.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(new Statements(connection));
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("fixture transaction failed", e);
        }
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Statements statements) throws SQLException;
    }

    /** Statements on the connection of one transaction. */
    static final class Statements {
        private final Connection connection;

        private Statements(Connection connection) {
            this.connection = connection;
        }

        void update(String sql, Object... args) throws SQLException {
            try (PreparedStatement statement = prepare(connection, sql, args)) {
                statement.executeUpdate();
            }
        }

        long number(String sql, Object... args) throws SQLException {
            try (PreparedStatement statement = prepare(connection, sql, args);
                    ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("no row for " + sql);
                }
                return rows.getLong(1);
            }
        }
    }

    /** The first column of the first row; fails when there is none. */
    String text(String sql, Object... args) {
        List<String> values = texts(sql, args);
        if (values.isEmpty()) {
            throw new IllegalStateException("no row for " + sql);
        }
        return values.get(0);
    }

    long number(String sql, Object... args) {
        return Long.parseLong(text(sql, args));
    }

    /** The first column of every row. */
    List<String> texts(String sql, Object... args) {
        try (Connection connection = db.getConnection();
                PreparedStatement statement = prepare(connection, sql, args);
                ResultSet rows = statement.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
        return statement;
    }
}
