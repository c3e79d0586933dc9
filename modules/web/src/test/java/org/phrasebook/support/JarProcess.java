package org.phrasebook.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable jar as a user runs it ({@code java -jar modules/web/target/phrasebook-web.jar}),
 * in a directory of the test's, with its output in a file there; on 127.0.0.1 and a free port,
 * with no database settings inherited from the environment of the build.
 */
public final class JarProcess implements AutoCloseable {

    public static final Path JAR = ProjectPaths.root().resolve("modules/web/target/phrasebook-web.jar");
    /** In JSON logs the slashes are escaped ({@code http:\/\/}). */
    private static final Pattern READY = Pattern.compile("ready on http:\\\\?/\\\\?/[^:]+:(\\d+)\\\\?/");

    private final Process process;
    private final Path log;

    private JarProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the jar in {@code dir}, writing its output to {@code dir/<logName>}. */
    public static JarProcess start(Path dir, String logName, Map<String, String> env, String... args) {
        return start(dir, logName, env, List.of(), args);
    }

    /** The same, with options for the JVM. */
    public static JarProcess start(Path dir, String logName, Map<String, String> env, List<String> jvmOptions,
            String... args) {
        assertThat(JAR).as("run `./mvnw package` first").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve(logName);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("DATABASE_") || k.equals("PORT") || k.equals("HOST")
                || k.equals("PHRASEBOOK_DATA_DIR") || k.startsWith("ADMIN_") || k.equals("LOG_FORMAT"));
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().put("PORT", "0");
        builder.environment().put("ADMIN_PORT", "0");
        builder.environment().putAll(env);
        try {
            return new JarProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the "ready" line and returns a client for the port it names. */
    public Http awaitReady(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher ready = READY.matcher(output());
            if (ready.find()) {
                return new Http(Integer.parseInt(ready.group(1)));
            }
            if (!process.isAlive()) {
                throw new AssertionError("Exited with " + process.exitValue() + " before it was ready:\n" + output());
            }
            sleep(Duration.ofMillis(100));
        }
        throw new AssertionError("Not ready within " + limit + ":\n" + output());
    }

    /** Waits for the process to end by itself and returns its exit status. */
    public int awaitExit(Duration limit) {
        try {
            assertThat(process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)).as("exited within " + limit).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    public Process process() {
        return process;
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL, the way a crash or an OOM kill ends it: no shutdown hook runs. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** A graceful stop (SIGTERM), so that its embedded PostgreSQL is down before the directory goes. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    public static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
