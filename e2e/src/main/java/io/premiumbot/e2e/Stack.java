package io.premiumbot.e2e;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.premiumbot.testkit.FakeBotApi;

/**
 * The whole backend on this machine: PostgreSQL and Redis (local where they answer, embedded otherwise), a fresh
 * database and a leased Redis database for this run, a Bot API (the fake from testkit unless one is given), and both
 * packaged services as child processes configured by the environment variables of docs/contracts.md. Closing stops it all and
 * drops the database.
 */
public final class Stack implements AutoCloseable {

    /**
     * How to bring the stack up; {@link #defaults()} reads DB_URL, DB_USER, DB_PASSWORD and REDIS_URL. Change it with
     * {@link #toBuilder()} ({@code Options.defaults().toBuilder().workers(2).env(Map.of(…)).build()}) or a wither.
     */
    public record Options(
            Path projectRoot,
            StackDatabase.Settings database,
            StackRedis.Settings redis,
            FakeBotApi botApi,
            String botToken,
            String webhookSecret,
            String adminToken,
            int apiPort,
            int workerPort,
            Path logDir,
            List<String> jvmArgs,
            Duration readyTimeout,
            Consumer<String> progress,
            Map<String, String> extraEnv,
            int workers) {

        public Options {
            if (workers < 1) {
                throw new IllegalArgumentException("at least one worker");
            }
            extraEnv = Map.copyOf(extraEnv);
            jvmArgs = List.copyOf(jvmArgs);
        }

        public static Options defaults() {
            return new Builder().build();
        }

        public Builder toBuilder() {
            return new Builder(this);
        }

        public Options withBotApi(FakeBotApi api, String token) {
            return toBuilder().botApi(api, token).build();
        }

        public Options withSecrets(String webhook, String admin) {
            return toBuilder().secrets(webhook, admin).build();
        }

        public Options withPorts(int api, int worker) {
            return toBuilder().ports(api, worker).build();
        }

        /** {@code null} sends the services' output to this console. */
        public Options withLogDir(Path dir) {
            return toBuilder().logDir(dir).build();
        }

        /** More environment for every service (tuning for a test, e.g. shorter worker timeouts). */
        public Options withEnv(Map<String, String> env) {
            return toBuilder().env(env).build();
        }

        /** How many worker-service processes to run (ids worker-1, worker-2, …; ports chosen freely after the first). */
        public Options withWorkers(int count) {
            return toBuilder().workers(count).build();
        }

        public Options withProgress(Consumer<String> sink) {
            return toBuilder().progress(sink).build();
        }

        /** How long each service may take to report ready (a loaded shared machine starts them slowly). */
        public Options withReadyTimeout(Duration timeout) {
            return toBuilder().readyTimeout(timeout).build();
        }
    }

    /** {@link Options} one setting at a time; a new builder starts from the defaults. */
    public static final class Builder {
        private Path projectRoot = defaultProjectRoot();
        private StackDatabase.Settings database = StackDatabase.Settings.fromEnvironment();
        private StackRedis.Settings redis = StackRedis.Settings.fromEnvironment();
        private FakeBotApi botApi;
        private String botToken = "100001:" + randomToken();
        private String webhookSecret = randomToken();
        private String adminToken = randomToken();
        private int apiPort;
        private int workerPort;
        private Path logDir = projectRoot.resolve("e2e/target/e2e-logs");
        private List<String> jvmArgs = ServiceJvm.productionOptions();
        private Duration readyTimeout = Duration.ofSeconds(60);
        private Consumer<String> progress = line -> System.out.println("[stack] " + line);
        private Map<String, String> extraEnv = Map.of();
        private int workers = 1;

        public Builder() {}

        private Builder(Options o) {
            projectRoot = o.projectRoot();
            database = o.database();
            redis = o.redis();
            botApi = o.botApi();
            botToken = o.botToken();
            webhookSecret = o.webhookSecret();
            adminToken = o.adminToken();
            apiPort = o.apiPort();
            workerPort = o.workerPort();
            logDir = o.logDir();
            jvmArgs = o.jvmArgs();
            readyTimeout = o.readyTimeout();
            progress = o.progress();
            extraEnv = o.extraEnv();
            workers = o.workers();
        }

        /** A Bot API the caller started (the Stack starts its own fake otherwise) and the token it knows. */
        public Builder botApi(FakeBotApi api, String token) {
            this.botApi = api;
            this.botToken = token;
            return this;
        }

        public Builder secrets(String webhook, String admin) {
            this.webhookSecret = webhook;
            this.adminToken = admin;
            return this;
        }

        /** 0 picks a free port. */
        public Builder ports(int api, int worker) {
            this.apiPort = api;
            this.workerPort = worker;
            return this;
        }

        /** Where the run's database is created (e.g. a failover test's pair of servers behind one address). */
        public Builder database(StackDatabase.Settings settings) {
            this.database = settings;
            return this;
        }

        /** {@code null} sends the services' output to this console. */
        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        public Builder jvmArgs(List<String> args) {
            this.jvmArgs = args;
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        public Builder progress(Consumer<String> sink) {
            this.progress = sink;
            return this;
        }

        /** More environment for every service (tuning for a test, e.g. shorter worker timeouts). */
        public Builder env(Map<String, String> env) {
            this.extraEnv = env;
            return this;
        }

        public Builder workers(int count) {
            this.workers = count;
            return this;
        }

        public Options build() {
            return new Options(
                    projectRoot,
                    database,
                    redis,
                    botApi,
                    botToken,
                    webhookSecret,
                    adminToken,
                    apiPort,
                    workerPort,
                    logDir,
                    jvmArgs,
                    readyTimeout,
                    progress,
                    extraEnv,
                    workers);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Options options;
    private final FakeBotApi botApi;
    private final StackDatabase database;
    private final StackRedis redis;
    private final ServiceProcess api;
    private final List<ServiceProcess> workers;
    private final Deque<AutoCloseable> owned;
    private final Thread shutdownHook;
    private final Map<String, String> env;
    private int apiReplicas = 1;

    private Stack(
            Options options,
            FakeBotApi botApi,
            StackDatabase database,
            StackRedis redis,
            ServiceProcess api,
            List<ServiceProcess> workers,
            Deque<AutoCloseable> owned,
            Thread shutdownHook,
            Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.options = options;
        this.botApi = botApi;
        this.database = database;
        this.redis = redis;
        this.api = api;
        this.workers = List.copyOf(workers);
        this.owned = owned;
        this.shutdownHook = shutdownHook;
    }

    public static Stack start(Options options) {
        Path apiJar = serviceJar(options.projectRoot(), "api-service");
        Path workerJar = serviceJar(options.projectRoot(), "worker-service");
        Deque<AutoCloseable> owned = new ArrayDeque<>();
        // one hook stops whatever is up, in order, also when the JVM exits half-way through the start
        Thread shutdownHook =
                new Thread(() -> closeAll(owned, new IllegalStateException("JVM exit")), "stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            StackDatabase database = own(owned, StackDatabase.provision(options.database(), options.progress()));
            StackRedis redis = own(owned, StackRedis.provision(options.redis(), options.progress()));
            FakeBotApi botApi = options.botApi();
            if (botApi == null) {
                botApi = own(owned, FakeBotApi.start(options.botToken()));
            }
            Map<String, String> env = environment(options, database, redis, botApi);
            // api-service first: it runs the migrations (the worker carries no Flyway), so workers start on a current
            // schema
            ServiceProcess api =
                    own(owned, launch(options, "api-service", apiJar, env, Endpoints.portOr(options.apiPort())));
            List<ServiceProcess> workers = new ArrayList<>();
            for (int n = 1; n <= options.workers(); n++) {
                Map<String, String> workerEnv = new LinkedHashMap<>(env);
                if (options.workers() > 1) {
                    workerEnv.put("WORKER_ID", "worker-" + n);
                }
                int port = n == 1 ? Endpoints.portOr(options.workerPort()) : Endpoints.portOr(0);
                String name = options.workers() > 1 ? "worker-service-" + n : "worker-service";
                workers.add(own(owned, launch(options, name, workerJar, workerEnv, port)));
            }
            awaitStarsRead(database, options);
            return new Stack(options, botApi, database, redis, api, workers, owned, shutdownHook, env);
        } catch (RuntimeException e) {
            closeAll(owned, e);
            removeHook(shutdownHook);
            throw e;
        }
    }

    /**
     * api-service sells nothing until a worker has read the bot's Stars balance into PostgreSQL (it does at start): the
     * stack is up once it has.
     */
    private static void awaitStarsRead(StackDatabase database, Options options) {
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        String query = "select balance is not null from star_treasury where id = 1";
        while (true) {
            try (Connection connection =
                            DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery(query)) {
                if (row.next() && row.getBoolean(1)) {
                    options.progress().accept("the worker read the bot's Stars balance");
                    return;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("reading the Star treasury: " + e.getMessage(), e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "no worker read the bot's Stars balance within " + options.readyTimeout());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Stars balance", e);
            }
        }
    }

    /**
     * Another api-service on the same database, Redis and Telegram, as a second replica behind the ingress; stopped with
     * the stack.
     */
    public synchronized ServiceProcess startApiReplica() {
        Path apiJar = serviceJar(options.projectRoot(), "api-service");
        apiReplicas++;
        return own(owned, launch(options, "api-service-" + apiReplicas, apiJar, env, Endpoints.portOr(0)));
    }

    private static Path serviceJar(Path root, String module) {
        Path jar = root.resolve(module)
                .resolve(ServiceJvm.appDir())
                .resolve("quarkus-run.jar")
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    module + " is not packaged: " + jar + " is missing (build it with ./mvnw -B package -DskipTests)");
        }
        return jar;
    }

    private static Map<String, String> environment(
            Options options, StackDatabase database, StackRedis redis, FakeBotApi botApi) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DB_URL", database.url());
        env.put("DB_USER", database.user());
        env.put("DB_PASSWORD", database.password());
        env.put("REDIS_URL", redis.url());
        env.put("TELEGRAM_API_URL", botApi.baseUrl());
        env.put("TELEGRAM_BOT_TOKEN", options.botToken());
        env.put("TELEGRAM_WEBHOOK_SECRET", options.webhookSecret());
        env.put("ADMIN_API_TOKEN", options.adminToken());
        env.put("LOG_JSON", "false");
        // as in the images: fewer glibc malloc arenas, measured ~5 MiB less RSS per service
        env.put("MALLOC_ARENA_MAX", "2");
        env.putAll(options.extraEnv());
        if (System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == null && !env.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT")) {
            // no collector on this machine: keep the services from logging export failures
            env.put("QUARKUS_OTEL_SDK_DISABLED", "true");
        }
        return env;
    }

    private static ServiceProcess launch(
            Options options, String name, Path jar, Map<String, String> sharedEnv, int port) {
        Map<String, String> env = new LinkedHashMap<>(sharedEnv);
        env.put("HTTP_PORT", String.valueOf(port));
        List<String> command = new ArrayList<>();
        command.add(ServiceJvm.javaHome().resolve("bin").resolve("java").toString());
        command.addAll(options.jvmArgs());
        command.addAll(ServiceJvm.aotCacheFor(jar, options.jvmArgs()));
        command.add("-jar");
        command.add(jar.toString());
        Path log = options.logDir() == null ? null : options.logDir().resolve(name + ".log");
        URI base = URI.create("http://127.0.0.1:" + port);
        options.progress().accept("starting " + name + " on " + base + (log == null ? "" : " (log: " + log + ")"));
        ServiceProcess process = ServiceProcess.start(name, command, env, log, base);
        try {
            process.awaitReady(options.readyTimeout());
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        options.progress().accept(name + " is ready");
        return process;
    }

    public URI apiUri() {
        return api.baseUri();
    }

    public URI workerUri() {
        return workers.get(0).baseUri();
    }

    public FakeBotApi botApi() {
        return botApi;
    }

    /** The bot token the services were given (tests check it never reaches a log). */
    public String botToken() {
        return options.botToken();
    }

    public String webhookSecret() {
        return options.webhookSecret();
    }

    public String adminToken() {
        return options.adminToken();
    }

    public StackDatabase database() {
        return database;
    }

    public StackRedis redis() {
        return redis;
    }

    public ServiceProcess api() {
        return api;
    }

    public ServiceProcess worker() {
        return workers.get(0);
    }

    public List<ServiceProcess> workers() {
        return workers;
    }

    /** A client for the webhook and the operator API of this stack. */
    public StackClient client() {
        return new StackClient(apiUri(), webhookSecret(), adminToken());
    }

    /** Stops the services, the Bot API it started and the embedded servers; drops the database. Idempotent. */
    @Override
    public void close() {
        options.progress().accept("stopping");
        removeHook(shutdownHook);
        closeAll(owned, null);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // the hook itself is closing the stack: closeAll below waits for it and finds nothing left
        }
    }

    private static <T extends AutoCloseable> T own(Deque<AutoCloseable> owned, T resource) {
        synchronized (owned) {
            owned.push(resource);
        }
        return resource;
    }

    /** Closes in reverse order of start; every resource gets its chance even when one fails. */
    private static void closeAll(Deque<AutoCloseable> owned, RuntimeException cause) {
        RuntimeException failure = cause;
        synchronized (owned) {
            while (!owned.isEmpty()) {
                try {
                    owned.pop().close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = new IllegalStateException("stack did not stop cleanly", e);
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (cause == null && failure != null) {
            throw failure;
        }
    }

    static Path defaultProjectRoot() {
        String configured = System.getProperty("premium.projectRoot");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("e2e")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        return start.toAbsolutePath().normalize();
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
