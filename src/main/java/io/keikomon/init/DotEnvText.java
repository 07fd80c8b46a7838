package io.keikomon.init;

import io.keikomon.config.EnvFile;
import io.keikomon.config.Secrets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of the {@code .env} that init writes: every variable keiko-mon reads, explained; the ones
 * not set are commented-out placeholders. Values from a previous .env are carried over, so replacing
 * the files never changes a password the running stack already uses.
 */
final class DotEnvText {
  /** Variable, explanation, commented-out example; in the order the file lists them. */
  private record Variable(String name, String comment, String example) {}

  private static final List<Variable> VARIABLES = List.of(
      new Variable(Secrets.GRAFANA_ADMIN_PASSWORD, "Password of the Grafana \"admin\" user.", ""),
      new Variable(Secrets.PROMETHEUS_PASSWORD,
          "Password of Prometheus' \"admin\" user (basic auth; keiko-mon, Grafana and Prometheus itself use it).", ""),
      new Variable(Secrets.ALERTMANAGER_PASSWORD,
          "Password of Alertmanager's \"admin\" user (Prometheus, Grafana and keiko-mon use it).", ""),
      new Variable(Secrets.METRICS_PASSWORD, "Password of the \"metrics\" user Prometheus scrapes node-exporter with.", ""),
      new Variable(Secrets.ALERTMANAGER_SLACK_URL,
          "Slack incoming-webhook URL for alerts; without it alerts are not delivered.",
          "https://hooks.slack.com/services/..."),
      new Variable(Secrets.POSTGRES_PASSWORD, "Password of postgres.user, for the PostgreSQL exporter.", ""),
      new Variable(Secrets.REDIS_PASSWORD, "Redis password, if Redis requires one.", ""),
      new Variable(Secrets.PROMETHEUS_RETENTION,
          "Overrides prometheus.retention in keiko.yml (a Prometheus duration such as 30d).", "30d"));

  private DotEnvText() {}

  /** The names of {@code previous}'s variables that {@link #render} keeps. */
  static List<String> carried(EnvFile previous) {
    return previous.entries().entrySet().stream().filter(e -> !e.getValue().value().isEmpty())
        .map(Map.Entry::getKey).toList();
  }

  /** Generated passwords are used unless {@code previous} already has them. */
  static String render(java.util.function.Supplier<String> generate, EnvFile previous) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : carried(previous)) {
      values.put(name, previous.get(name).orElseThrow().value());
    }
    values.computeIfAbsent(Secrets.GRAFANA_ADMIN_PASSWORD, k -> generate.get());
    for (String name : Secrets.ACCESS_PASSWORDS) {
      values.computeIfAbsent(name, k -> generate.get());
    }
    StringBuilder b = new StringBuilder("""
        # Secrets for the Keiko monitoring stack (written by `keiko-mon init`).
        # Keep this file private (mode 0600) and out of version control.
        # A variable set in the environment wins over the value here.
        """);
    for (Variable v : VARIABLES) {
      b.append('\n').append("# ").append(v.comment()).append('\n');
      String value = values.remove(v.name());
      b.append(value == null ? "# " + v.name() + "=" + v.example() : EnvFile.line(v.name(), value)).append('\n');
    }
    if (!values.isEmpty()) {
      b.append("\n# Kept from the previous .env.\n");
      List<String> rest = new ArrayList<>();
      values.forEach((name, value) -> rest.add(EnvFile.line(name, value)));
      b.append(String.join("\n", rest)).append('\n');
    }
    return b.toString();
  }
}
