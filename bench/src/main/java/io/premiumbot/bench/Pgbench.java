package io.premiumbot.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.premiumbot.e2e.StackDatabase;

/** pgbench with a script of ours on the stack's database: the rate PostgreSQL allows for those statements here. */
final class Pgbench {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");

    private Pgbench() {}

    static double run(StackDatabase db, Path script, int clients, int seconds) throws Exception {
        return run(
                db, script, clients, seconds, List.of(), "claim update_id, upsert the user, read it; one transaction");
    }

    /** {@code options}: more pgbench arguments (e.g. {@code -M prepared}, {@code -D name=value}). */
    static double run(StackDatabase db, Path script, int clients, int seconds, List<String> options, String what)
            throws Exception {
        String uri = "postgresql://" + db.user()
                + (db.password() == null || db.password().isEmpty() ? "" : ":" + db.password()) + "@"
                + db.url().substring("postgresql://".length());
        List<String> command = new java.util.ArrayList<>(List.of(
                "pgbench",
                "-n",
                "-c",
                String.valueOf(clients),
                "-j",
                "2",
                "-T",
                String.valueOf(seconds),
                "-f",
                script.toString()));
        command.addAll(options);
        command.add(uri);
        System.out.println("--- pgbench -n -c " + clients + " -j 2 -T " + seconds + " -f " + script.getFileName() + " "
                + String.join(" ", options) + " (" + what + ")");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        double tps = Double.NaN;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println("  pgbench: " + line);
                Matcher m = TPS.matcher(line);
                if (m.find()) {
                    tps = Double.parseDouble(m.group(1));
                }
            }
        }
        if (process.waitFor() != 0 || Double.isNaN(tps)) {
            throw new IllegalStateException("pgbench failed (exit " + process.exitValue() + ")");
        }
        return tps;
    }
}
