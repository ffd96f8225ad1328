package io.premiumbot.e2e;

import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.function.Consumer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A fresh PostgreSQL database for one stack run, owned by a role that logs in with a password. It lives on the
 * PostgreSQL that answers at the configured URL, or on an embedded PostgreSQL started on a free port when none does.
 * Closing drops the database and stops the embedded server, if any.
 */
public final class StackDatabase implements AutoCloseable {

    /**
     * Where to look for PostgreSQL and which role the services use; {@code template}, when set, is an existing database
     * (owned by that role, nobody connected) the run's database is copied from — the growth benchmark's year of
     * history, {@code STACK_DB_TEMPLATE} in the environment — instead of starting empty.
     */
    public record Settings(String url, String user, String password, boolean forceEmbedded, String template) {
        public Settings(String url, String user, String password, boolean forceEmbedded) {
            this(url, user, password, forceEmbedded, null);
        }

        public static Settings fromEnvironment() {
            String template = env("STACK_DB_TEMPLATE", "");
            return new Settings(
                    env("DB_URL", "postgresql://127.0.0.1:5432/premium"),
                    env("DB_USER", "premium"),
                    env("DB_PASSWORD", "premium"),
                    false,
                    template.isBlank() ? null : template);
        }

        public Settings embedded() {
            return new Settings(url, user, password, true, template);
        }
    }

    /** How to reach a server as a role allowed to create databases. */
    private record Admin(String host, int port, String database, String user, String password) {
        Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(host, port, database), user, password == null ? "" : password);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Admin admin;
    private final EmbeddedPostgres embedded;
    private final String name;
    private final String user;
    private final String password;

    private StackDatabase(Admin admin, EmbeddedPostgres embedded, String name, String user, String password) {
        this.admin = admin;
        this.embedded = embedded;
        this.name = name;
        this.user = user;
        this.password = password;
    }

    public static StackDatabase provision(Settings settings, Consumer<String> progress) {
        String name = "premium_e2e_" + randomSuffix();
        Endpoints.Address address = Endpoints.postgres(settings.url());
        if (!settings.forceEmbedded() && Endpoints.answers(address.host(), address.port())) {
            Admin admin = localAdmin(settings, address, progress);
            if (admin != null) {
                create(admin, name, settings.user(), settings.password(), settings.template());
                progress.accept("PostgreSQL at " + address.host() + ":" + address.port() + ": created database " + name
                        + (settings.template() == null ? "" : " as a copy of " + settings.template()));
                return new StackDatabase(admin, null, name, settings.user(), settings.password());
            }
        } else if (!settings.forceEmbedded()) {
            progress.accept(
                    "no PostgreSQL answers at " + address.host() + ":" + address.port() + ": starting an embedded one");
        }
        return embedded(settings, name, progress);
    }

    private static StackDatabase embedded(Settings settings, String name, Consumer<String> progress) {
        if (settings.template() != null) {
            throw new IllegalStateException(
                    "a template database (" + settings.template() + ") needs the PostgreSQL it lives on");
        }
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(Endpoints.freePort())
                    .setRegisterShutdownHook(false) // the stack's own hook stops it, after the services
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("embedded PostgreSQL did not start", e);
        }
        try {
            Admin admin = new Admin("127.0.0.1", postgres.getPort(), "postgres", "postgres", null);
            create(admin, name, settings.user(), settings.password(), null);
            progress.accept("embedded PostgreSQL on 127.0.0.1:" + postgres.getPort() + ": created database " + name);
            return new StackDatabase(admin, postgres, name, settings.user(), settings.password());
        } catch (RuntimeException e) {
            closeQuietly(postgres, e);
            throw e;
        }
    }

    /** The configured role if it may create databases, else the local superuser (trust auth), else none. */
    private static Admin localAdmin(Settings settings, Endpoints.Address address, Consumer<String> progress) {
        Admin asRole = new Admin(
                address.host(),
                address.port(),
                address.path().isEmpty() ? "postgres" : address.path(),
                settings.user(),
                settings.password());
        if (mayCreateDatabases(asRole, progress)) {
            return asRole;
        }
        Admin superuser = new Admin(address.host(), address.port(), "postgres", "postgres", null);
        if (mayCreateDatabases(superuser, progress)) {
            return superuser;
        }
        progress.accept("no role at " + address.host() + ":" + address.port()
                + " may create a database; starting an embedded PostgreSQL instead");
        return null;
    }

    private static boolean mayCreateDatabases(Admin admin, Consumer<String> progress) {
        try (Connection connection = admin.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select rolcreatedb or rolsuper from pg_roles where rolname = current_user")) {
            if (rows.next() && rows.getBoolean(1)) {
                return true;
            }
            progress.accept("role " + admin.user() + " may not create databases");
        } catch (SQLException e) {
            progress.accept("role " + admin.user() + " cannot log in (SQL state " + e.getSQLState() + ")");
        }
        return false;
    }

    private static void create(Admin admin, String name, String user, String password, String template) {
        try (Connection connection = admin.connect();
                Statement statement = connection.createStatement()) {
            if (!roleExists(connection, user)) {
                statement.execute("create role " + identifier(user) + " login password " + literal(password));
            }
            // a copy of the files (not through the WAL): seconds per GB instead of minutes
            statement.execute("create database " + identifier(name) + " owner " + identifier(user)
                    + (template == null ? "" : " template " + identifier(template) + " strategy file_copy"));
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " owned by " + user, e);
        }
    }

    private static boolean roleExists(Connection connection, String role) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select 1 from pg_roles where rolname = ?")) {
            query.setString(1, role);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** The services' {@code DB_URL}. */
    public String url() {
        return "postgresql://" + admin.host() + ":" + admin.port() + "/" + name;
    }

    public String jdbcUrl() {
        return jdbcUrl(admin.host(), admin.port(), name);
    }

    public String name() {
        return name;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public int port() {
        return admin.port();
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        if (embedded != null) {
            // the whole server and its data directory go: no database to drop (and on Ctrl-C it may be down already)
            try {
                embedded.close();
            } catch (IOException e) {
                throw new IllegalStateException("embedded PostgreSQL did not stop", e);
            }
            return;
        }
        try (Connection connection = admin.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + identifier(name) + " with (force)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop database " + name, e);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres, RuntimeException cause) {
        try {
            postgres.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private static String jdbcUrl(String host, int port, String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    private static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String randomSuffix() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder suffix = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            suffix.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return suffix.toString().toLowerCase(Locale.ROOT);
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
