package io.keikomon.content;

import io.keikomon.testing.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real processes on this host for live tests: Debian's Prometheus and exporters on free loopback ports,
 * and the local PostgreSQL and Redis (started if they are not running, the way bin/test-setup does).
 * Stops exactly the processes it started.
 */
public final class HostServices implements AutoCloseable {
  /** Role and database the PostgreSQL exporter uses; bin/test-setup creates the same. */
  static final String PG_DSN = "postgresql://keiko:keiko-test@127.0.0.1:5432/keiko?sslmode=disable";

  private final Path logs;
  private final List<Process> started = new ArrayList<>();

  public HostServices(Path logs) {
    this.logs = logs;
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts {@code command} in the background, output to {@code logs/<name>.log}. */
  public Process start(String name, Map<String, String> env, String... command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(logs.resolve(name + ".log").toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      started.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command[0] + " (bin/test-setup installs it)", e);
    }
  }

  /** PostgreSQL 15 cluster running, with the exporter's role (in pg_monitor) and database. */
  public static void ensurePostgres() {
    if (Tool.run(Path.of("/"), "pg_ctlcluster", "15", "main", "status").exitCode() != 0) {
      mustSucceed("pg_ctlcluster", "15", "main", "start");
    }
    String role = Tool.run(Path.of("/"), "su", "postgres", "-c",
        "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='keiko'\"").output();
    if (!role.contains("1")) {
      mustSucceed("su", "postgres", "-c", "psql -qc \"CREATE ROLE keiko LOGIN PASSWORD 'keiko-test' IN ROLE pg_monitor\"");
    }
    String db = Tool.run(Path.of("/"), "su", "postgres", "-c",
        "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='keiko'\"").output();
    if (!db.contains("1")) {
      mustSucceed("su", "postgres", "-c", "createdb -O keiko keiko");
    }
  }

  /** Redis answering on 127.0.0.1:6379. */
  static void ensureRedis() {
    if (!Tool.run(Path.of("/"), "redis-cli", "ping").output().contains("PONG")) {
      mustSucceed("redis-server", "--daemonize", "yes");
      for (int i = 0; i < 50 && !Tool.run(Path.of("/"), "redis-cli", "ping").output().contains("PONG"); i++) {
        sleep(100);
      }
    }
  }

  static void mustSucceed(String... command) {
    Tool t = Tool.run(Path.of("/"), command);
    if (t.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + t.output());
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    for (Process p : started) {
      p.destroy();
    }
    for (Process p : started) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
