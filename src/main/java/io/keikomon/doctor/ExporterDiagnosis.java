package io.keikomon.doctor;

import io.keikomon.api.PrometheusModel.QueryResult;
import io.keikomon.api.PrometheusModel.Sample;
import java.util.Locale;
import java.util.Optional;

/**
 * Exporters answer their scrape (target up) while what they watch is down: their own gauges say so ({@code pg_up},
 * {@code redis_up}, blackbox's {@code probe_success}), and the exporter's log says why.
 */
final class ExporterDiagnosis {
  private final PrometheusReads reads;
  private final ServiceLogs logs;
  private final FindingLedger ledger;

  ExporterDiagnosis(PrometheusReads reads, ServiceLogs logs, FindingLedger ledger) {
    this.reads = reads;
    this.logs = logs;
    this.ledger = ledger;
  }

  void diagnose() {
    for (Sample s : reads.query("pg_up").samples()) {
      gauge(s, "postgres-exporter", "PostgreSQL exporter", "pg_up",
          "the PostgreSQL exporter cannot connect to PostgreSQL",
          "postgres.host, postgres.port, postgres.user in keiko.yml and POSTGRES_PASSWORD in .env must match the"
              + " database; then `keiko-mon up`");
    }
    for (Sample s : reads.query("redis_up").samples()) {
      gauge(s, "redis-exporter", "Redis exporter", "redis_up", "the Redis exporter cannot reach Redis",
          "redis.address in keiko.yml and REDIS_PASSWORD in .env must match Redis; then `keiko-mon up`");
    }
    QueryResult codes = reads.query("probe_http_status_code");
    for (Sample s : reads.query("probe_success").samples()) {
      String instance = s.metric().getOrDefault("instance", "?");
      String status = codes.samples().stream().filter(c -> instance.equals(c.metric().get("instance")))
          .map(Sample::value).findFirst().orElse("unknown");
      String cause = "0".equals(status)
          ? "the probe of " + instance + " got no HTTP answer (refused, DNS or timeout)"
          : "the probe of " + instance + " answered HTTP " + status + ", not 2xx";
      String path = s.metric().get("path");
      gauge(s, "blackbox-exporter", "health probe" + (path == null ? "" : " " + path + " on"), "probe_success", cause,
          "make " + instance + " answer 2xx (its dependency may be down), or correct backend.health_url /"
              + " backend.health_paths");
    }
  }

  private void gauge(Sample s, String service, String what, String metric, String cause, String fix) {
    String instance = s.metric().getOrDefault("instance", "?");
    String check = what + " " + instance;
    String evidence = metric + "{instance=\"" + instance + "\"" + (s.metric().containsKey("path")
        ? ", path=\"" + s.metric().get("path") + "\"" : "") + "} = " + s.value();
    if (s.number() == 1.0) {
      ledger.add(Finding.ok(Symptom.METRICS, service, check, evidence));
      return;
    }
    Optional<String> why = metric.equals("probe_success") ? Optional.empty()
        : LogReasons.reason(logs.tail(service, ContainerDiagnosis.LOG_LINES));
    String remedy = fix;
    if (why.isPresent()) {
      String w = why.get().toLowerCase(Locale.ROOT);
      if (w.contains("password authentication failed") || w.contains("noauth") || w.contains("wrongpass")
          || w.contains("invalid password") || w.contains("invalid username-password")) {
        remedy = metric.equals("pg_up") ? "POSTGRES_PASSWORD in .env must be the password of postgres.user;"
            + " then `keiko-mon up`" : "REDIS_PASSWORD in .env must be Redis' password; then `keiko-mon up`";
      } else if (w.contains("no such host") || w.contains("connection refused") || w.contains("i/o timeout")
          || w.contains("couldn't connect") || w.contains("could not connect")) {
        remedy = metric.equals("pg_up") ? "postgres.host and postgres.port in keiko.yml: the exporter cannot reach"
            + " the database there; then `keiko-mon up`"
            : "redis.address in keiko.yml: the exporter cannot reach Redis there; then `keiko-mon up`";
      }
    }
    String id = ledger.add(Finding.error(Symptom.METRICS, service, check,
        evidence + why.map(w -> "; " + service + " log: " + w).orElse(""),
        cause + why.map(w -> ": " + w).orElse(""), remedy));
    ledger.cause(s.metric().getOrDefault("job", service), id);
  }
}
