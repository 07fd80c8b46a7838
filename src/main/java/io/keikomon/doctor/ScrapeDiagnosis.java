package io.keikomon.doctor;

import io.keikomon.api.ApiException;
import io.keikomon.api.PrometheusClient;
import io.keikomon.api.PrometheusModel.RuntimeInfo;
import io.keikomon.api.PrometheusModel.Target;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metrics chain on Prometheus' side: its configuration loaded, then each scrape target, a down one folded under
 * the finding of its container and named as the cause of its job's missing data.
 */
final class ScrapeDiagnosis {
  private final PrometheusClient prometheus;
  private final PrometheusReads reads;
  private final TargetDiagnosis targets;
  private final ServiceLogs logs;
  private final String outputDir;
  private final FindingLedger ledger;

  ScrapeDiagnosis(PrometheusClient prometheus, PrometheusReads reads, TargetDiagnosis targets, ServiceLogs logs,
      String outputDir, FindingLedger ledger) {
    this.prometheus = prometheus;
    this.reads = reads;
    this.targets = targets;
    this.logs = logs;
    this.outputDir = outputDir;
    this.ledger = ledger;
  }

  /**
   * @param containerIds service → id of its container's error finding
   * @return whether any target is up (only then do the exporters' own gauges say something)
   */
  boolean diagnose(Map<String, String> containerIds) {
    RuntimeInfo info = reads.runtimeInfo();
    if (info.reloadConfigSuccess()) {
      ledger.add(Finding.ok(Symptom.METRICS, "prometheus", "Prometheus configuration loaded",
          "reloadConfigSuccess true, last loaded " + info.lastConfigTime()));
    } else {
      Optional<String> why = LogReasons.configReason(logs.tail("prometheus", ContainerDiagnosis.LOG_LINES));
      ledger.add(Finding.error(Symptom.METRICS, "prometheus", "Prometheus configuration loaded",
          "reloadConfigSuccess false, still running the configuration of " + info.lastConfigTime()
              + why.map(w -> "; log: " + w).orElse(""),
          "the last reload of prometheus.yml or a rule file was refused; Prometheus runs the previous one"
              + why.map(w -> ": " + w).orElse(""),
          "run `keiko-mon validate` to see the error (a hand edit of a file in " + outputDir + "/prometheus?"
              + " `keiko-mon render --force` restores it), then `keiko-mon up`"));
    }
    List<Target> active = reads.targets().activeTargets();
    if (active.isEmpty()) {
      ledger.add(Finding.error(Symptom.METRICS, "prometheus", "scrape targets",
          "/api/v1/targets lists no active target", "Prometheus scrapes nothing",
          "add backend.targets to keiko.yml, then `keiko-mon up`"));
    }
    boolean anyUp = false;
    for (Target t : active) {
      Finding f = targets.diagnose(t);
      String id = ledger.add(f);
      if (f.isError()) {
        String host = host(t.scrapeUrl());
        String container = containerIds.get(host);
        if (container != null) {
          ledger.fold(container, List.of(id));
        }
        ledger.cause(t.scrapePool(), container != null ? container : id);
        if (neverUp(t.scrapePool())) {
          // a target that never answered explains the series nobody ever saw
          ledger.cause(SeriesDiagnosis.NEVER, id);
        }
      }
      anyUp |= t.up();
    }
    return anyUp;
  }

  private boolean neverUp(String job) {
    try {
      return prometheus.query("max_over_time(up{job=\"" + job.replace("\"", "\\\"") + "\"}["
        + SeriesDiagnosis.LOOK_BACK + "]) > 0").samples().isEmpty();
    } catch (ApiException e) {
      return false; // cannot tell: fold nothing under it
    }
  }

  private static String host(String url) {
    try {
      String h = URI.create(url).getHost();
      return h == null ? "" : h;
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
