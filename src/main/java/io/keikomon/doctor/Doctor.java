package io.keikomon.doctor;

import io.keikomon.api.AlertmanagerClient;
import io.keikomon.api.ApiException;
import io.keikomon.api.GrafanaClient;
import io.keikomon.api.PrometheusClient;
import io.keikomon.stack.ServiceStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Walks the chain behind a symptom on a running stack and says which link broke: containers, Prometheus and its
 * configuration, targets, exporters, the series rules and panels use, Grafana, rules and alerts, Alertmanager. Each
 * step runs only when the one before it could be read (an unreachable Prometheus is one finding, not twenty), and a
 * consequence is folded under its cause ({@link Finding#explains}): the backend target being down explains the
 * disappeared backend series, the empty backend panels and the firing KeikoBackendDown.
 */
public final class Doctor {
  /** The longest doctor waits for one answer: a component that hangs is a finding after this, not a stall. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final PrometheusClient prometheus;
  private final Optional<AlertmanagerClient> alertmanager;
  private final Optional<GrafanaClient> grafana;
  private final TargetDiagnosis targets;
  private final List<ServiceStatus> containers;
  private final ServiceLogs logs;
  private final Map<String, String> labelKeys;
  private final String outputDir;
  private final String grafanaPrometheusUrl;
  private final Clock clock;
  private final boolean alertingNone;
  /** The container rows are Swarm tasks (swarm mode): findings per task, replicas short of desired. */
  private final boolean tasks;

  /**
   * @param alertmanager empty when the stack publishes none
   * @param prometheusInContainer true for the stack (Prometheus in its container), false for one on the host
   */
  public Doctor(PrometheusClient prometheus, Optional<AlertmanagerClient> alertmanager,
      boolean prometheusInContainer) {
    this(prometheus, alertmanager, Optional.empty(), prometheusInContainer, List.of(), ServiceLogs.none(), Map.of(),
        "monitoring", "http://prometheus:9090", Clock.systemUTC(), false, false);
  }

  private Doctor(PrometheusClient prometheus, Optional<AlertmanagerClient> alertmanager,
      Optional<GrafanaClient> grafana, boolean inContainer, List<ServiceStatus> containers, ServiceLogs logs,
      Map<String, String> labelKeys, String outputDir, String grafanaPrometheusUrl, Clock clock,
      boolean alertingNone, boolean tasks) {
    this.prometheus = prometheus;
    this.alertmanager = alertmanager;
    this.grafana = grafana;
    this.targets = new TargetDiagnosis(inContainer);
    this.containers = List.copyOf(containers);
    this.logs = logs;
    this.labelKeys = Map.copyOf(labelKeys);
    this.outputDir = outputDir;
    this.grafanaPrometheusUrl = grafanaPrometheusUrl;
    this.clock = clock;
    this.alertingNone = alertingNone;
    this.tasks = tasks;
  }

  /** keiko.yml's {@code alerting.none}: alerts that reach no notifier are intended, not a finding. */
  public Doctor withAlertingNone(boolean none) {
    return new Doctor(prometheus, alertmanager, grafana, targets.inContainer(), containers, logs, labelKeys,
        outputDir, grafanaPrometheusUrl, clock, none, tasks);
  }

  /** Also checks Grafana: its datasources (which should query {@code prometheusUrl}) and its dashboards' panels. */
  public Doctor withGrafana(GrafanaClient client, String prometheusUrl) {
    return new Doctor(prometheus, alertmanager, Optional.of(client), targets.inContainer(), containers, logs,
        labelKeys, outputDir, prometheusUrl, clock, alertingNone, tasks);
  }

  /** Also checks the containers (as {@code status} reports them), reading their logs for the reason. */
  public Doctor withContainers(List<ServiceStatus> services, ServiceLogs serviceLogs, String output) {
    return new Doctor(prometheus, alertmanager, grafana, targets.inContainer(), services, serviceLogs, labelKeys,
        output, grafanaPrometheusUrl, clock, alertingNone, tasks);
  }

  /** The same, the rows being a swarm stack's tasks ({@code status} of swarm mode: one row per task). */
  public Doctor withTasks(List<ServiceStatus> tasks, ServiceLogs serviceLogs, String output) {
    return new Doctor(prometheus, alertmanager, grafana, targets.inContainer(), tasks, serviceLogs, labelKeys,
        output, grafanaPrometheusUrl, clock, alertingNone, true);
  }

  /** Label name → the keiko.yml key that names it (backend.labels.*), so a label fix names the key. */
  public Doctor withLabelKeys(Map<String, String> keys, Clock c) {
    return new Doctor(prometheus, alertmanager, grafana, targets.inContainer(), containers, logs, keys, outputDir,
        grafanaPrometheusUrl, c, alertingNone, tasks);
  }

  /**
   * When Prometheus' container does not run: the containers' findings, the missing Prometheus folded under the
   * finding of its container (whose log line says why it stopped).
   */
  public static List<Finding> withoutPrometheus(io.keikomon.stack.StatusReport status, ServiceLogs logs,
      String output, boolean tasks) {
    List<Finding> out = new ArrayList<>(new ContainerDiagnosis(logs, output, tasks).diagnose(status.services()));
    Finding missing = new StackEndpoints(status).prometheusMissing();
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).isError() && out.get(i).component().equals("prometheus")) {
        out.set(i, out.get(i).explaining(List.of(missing.id())));
      }
    }
    out.add(missing);
    return out;
  }

  /** The findings for {@code symptoms} (all when empty). */
  public List<Finding> check(Set<Symptom> symptoms) {
    // the reads are round trips that do not depend on each other: a few at a time (threads, as Java 17 has no
    // virtual ones), daemons, so a component that never answers cannot keep the command from exiting
    ExecutorService pool = Executors.newFixedThreadPool(READERS, r -> {
      Thread t = new Thread(r, "doctor-read");
      t.setDaemon(true);
      return t;
    });
    try {
      return new Run(symptoms, pool).run();
    } finally {
      pool.shutdownNow();
    }
  }

  private static final int READERS = 6;

  /** {@code --notify-test}: a synthetic alert through Alertmanager to every receiver, then resolved. */
  public List<Finding> notifyTest() {
    if (alertmanager.isEmpty()) {
      return List.of(Finding.error(Symptom.ALERTS, "alertmanager", "notify test", "the stack publishes no"
          + " Alertmanager", "there is no Alertmanager to send a test alert through",
          "enable components.alertmanager in keiko.yml, then `keiko-mon up`"));
    }
    try {
      return new AlertmanagerDiagnosis(alertmanager.get(), logs, clock, alertingNone).notifyTest();
    } catch (ApiException e) {
      return List.of(Finding.error(Symptom.ALERTS, "alertmanager", "notify test", e.getMessage(),
          Unreachable.cause("Alertmanager", e), Unreachable.fix("alertmanager", e)));
    }
  }

  /** One walk: the reads it shares between chains, and the findings so far with what each cause explains. */
  private final class Run {
    private final Set<Symptom> wanted;
    private final FindingLedger ledger = new FindingLedger();
    private final ExecutorService pool;
    private final CompletableFuture<List<Finding>> alertmanagerFindings;

    Run(Set<Symptom> symptoms, ExecutorService pool) {
      this.wanted = symptoms.isEmpty() ? EnumSet.allOf(Symptom.class) : EnumSet.copyOf(symptoms);
      this.pool = pool;
      this.alertmanagerFindings = CompletableFuture.supplyAsync(this::alertmanagerChecks, pool);
    }

    List<Finding> run() {
      Map<String, String> containerIds = new HashMap<>();
      for (Finding f : new ContainerDiagnosis(logs, outputDir, tasks).diagnose(containers)) {
        String id = ledger.add(f);
        if (f.isError()) {
          containerIds.put(f.component(), id);
        }
      }
      Optional<Finding> unreachable = prometheusUnreachable();
      if (unreachable.isPresent()) {
        String id = containerIds.get("prometheus");
        if (id != null) {
          ledger.fold(id, List.of(ledger.add(unreachable.get())));
        } else {
          ledger.add(unreachable.get());
        }
        PrometheusReads.take(alertmanagerFindings).forEach(ledger::add);
        return ledger.folded();
      }
      // sent once Prometheus answered: the first answer's TLS session makes the parallel connections' handshakes short
      PrometheusReads reads = new PrometheusReads(prometheus, wanted.contains(Symptom.ALERTS), pool);
      SeriesDiagnosis series = new SeriesDiagnosis(prometheus, labelKeys);
      // Grafana's chain reads Grafana and runs each panel's query: beside the metrics chain, its findings after it
      CompletableFuture<Map.Entry<GrafanaDiagnosis, List<Finding>>> grafanaWalk =
          wanted.contains(Symptom.NO_DATA) && grafana.isPresent() ? CompletableFuture.supplyAsync(() -> {
            GrafanaDiagnosis g = new GrafanaDiagnosis(grafana.get(), prometheus, series, grafanaPrometheusUrl,
                clock.instant());
            return Map.entry(g, g.diagnose());
          }, pool) : null;
      // every chain starts at the targets: a down target empties panels and fires (or silences) alerts
      if (new ScrapeDiagnosis(prometheus, reads, targets, logs, outputDir, ledger).diagnose(containerIds)) {
        new ExporterDiagnosis(reads, logs, ledger).diagnose();
      }
      if (wanted.contains(Symptom.METRICS) || wanted.contains(Symptom.ALERTS)) {
        new RuleSeriesDiagnosis(reads, series, ledger).diagnose();
      }
      if (grafanaWalk != null) {
        GrafanaDiagnosis g = PrometheusReads.take(grafanaWalk).getKey();
        List<Finding> found = PrometheusReads.take(grafanaWalk).getValue();
        Map<Finding, Set<String>> jobs = new HashMap<>();
        g.panels.forEach(p -> jobs.put(p.finding(), p.jobs()));
        for (Finding f : found) {
          String id = ledger.add(f);
          if (jobs.containsKey(f)) {
            ledger.consequence(id, jobs.get(f));
          }
        }
      }
      if (wanted.contains(Symptom.ALERTS)) {
        new PrometheusAlertsDiagnosis(reads, logs, ledger).diagnose();
        PrometheusReads.take(alertmanagerFindings).forEach(ledger::add);
      }
      return ledger.folded();
    }

    private Optional<Finding> prometheusUnreachable() {
      String where = prometheus.transport().base().toString();
      try {
        prometheus.buildInfo();
        return Optional.empty();
      } catch (ApiException e) {
        return Optional.of(Finding.error(Symptom.METRICS, "prometheus", "Prometheus reachable at " + where,
            e.getMessage(), Unreachable.cause("Prometheus", e), Unreachable.fix("prometheus", e)));
      }
    }

    /** Alertmanager's own chain: it needs nothing from Prometheus', so it runs beside it (ids are given later). */
    private List<Finding> alertmanagerChecks() {
      if (!wanted.contains(Symptom.ALERTS) || alertmanager.isEmpty()) {
        return List.of();
      }
      AlertmanagerClient am = alertmanager.get();
      String check = "Alertmanager reachable at " + am.transport().base();
      try {
        if (!am.ready()) {
          return List.of(Finding.error(Symptom.ALERTS, "alertmanager", check, "/-/ready answered 503",
              "Alertmanager is not ready yet", "wait a few seconds; `keiko-mon status` shows its health"));
        }
      } catch (ApiException e) {
        return List.of(Finding.error(Symptom.ALERTS, "alertmanager", check, e.getMessage(),
            Unreachable.cause("Alertmanager", e), Unreachable.fix("alertmanager", e)));
      }
      List<Finding> found = new ArrayList<>();
      found.add(Finding.ok(Symptom.ALERTS, "alertmanager", check, "ready"));
      found.addAll(new AlertmanagerDiagnosis(am, logs, clock, alertingNone).diagnose());
      return found;
    }
  }
}
