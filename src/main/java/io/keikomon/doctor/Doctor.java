package io.keikomon.doctor;

import io.keikomon.api.AlertmanagerClient;
import io.keikomon.api.ApiException;
import io.keikomon.api.GrafanaClient;
import io.keikomon.api.PrometheusClient;
import io.keikomon.api.PrometheusModel.Alert;
import io.keikomon.api.PrometheusModel.Alertmanagers;
import io.keikomon.api.PrometheusModel.QueryResult;
import io.keikomon.api.PrometheusModel.Rule;
import io.keikomon.api.PrometheusModel.RuleGroup;
import io.keikomon.api.PrometheusModel.RuntimeInfo;
import io.keikomon.api.PrometheusModel.Sample;
import io.keikomon.api.PrometheusModel.Target;
import io.keikomon.content.promql.PromqlSyntaxException;
import io.keikomon.content.promql.Selectors;
import io.keikomon.content.promql.Selectors.Selector;
import io.keikomon.stack.ServiceStatus;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

  /** One walk: the findings so far and what each cause explains. */
  private final class Run {
    private final Set<Symptom> wanted;
    private final List<Finding> out = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    /** Job → ids of error findings that take that job's data away (target down, container down). */
    private final Map<String, List<String>> causesByJob = new HashMap<>();
    /** Finding id → jobs whose data it misses, for folding under those jobs' causes. */
    private final Map<String, Set<String>> consequences = new LinkedHashMap<>();
    private final ExecutorService pool;
    private final CompletableFuture<List<Finding>> alertmanagerFindings;
    private PrometheusReads reads;
    private SeriesDiagnosis series;

    Run(Set<Symptom> symptoms, ExecutorService pool) {
      this.wanted = symptoms.isEmpty() ? EnumSet.allOf(Symptom.class) : EnumSet.copyOf(symptoms);
      this.pool = pool;
      this.alertmanagerFindings = CompletableFuture.supplyAsync(this::alertmanagerChecks, pool);
    }

    List<Finding> run() {
      Map<String, String> containerIds = new HashMap<>();
      for (Finding f : new ContainerDiagnosis(logs, outputDir, tasks).diagnose(containers)) {
        String id = add(f);
        if (f.isError()) {
          containerIds.put(f.component(), id);
        }
      }
      Optional<Finding> unreachable = prometheusUnreachable();
      if (unreachable.isPresent()) {
        String id = containerIds.get("prometheus");
        if (id != null) {
          fold(id, List.of(add(unreachable.get())));
        } else {
          add(unreachable.get());
        }
        PrometheusReads.take(alertmanagerFindings).forEach(this::add);
        return fold();
      }
      // sent once Prometheus answered: the first answer's TLS session makes the parallel connections' handshakes short
      reads = new PrometheusReads(prometheus, wanted.contains(Symptom.ALERTS), pool);
      series = new SeriesDiagnosis(prometheus, labelKeys);
      // Grafana's chain reads Grafana and runs each panel's query: beside the metrics chain, its findings after it
      CompletableFuture<Map.Entry<GrafanaDiagnosis, List<Finding>>> grafanaWalk =
          wanted.contains(Symptom.NO_DATA) && grafana.isPresent() ? CompletableFuture.supplyAsync(() -> {
            GrafanaDiagnosis g = new GrafanaDiagnosis(grafana.get(), prometheus, series, grafanaPrometheusUrl,
                clock.instant());
            return Map.entry(g, g.diagnose());
          }, pool) : null;
      // every chain starts at the targets: a down target empties panels and fires (or silences) alerts
      metrics(containerIds);
      if (wanted.contains(Symptom.METRICS) || wanted.contains(Symptom.ALERTS)) {
        ruleSeries();
      }
      if (grafanaWalk != null) {
        GrafanaDiagnosis g = PrometheusReads.take(grafanaWalk).getKey();
        List<Finding> found = PrometheusReads.take(grafanaWalk).getValue();
        Map<Finding, Set<String>> jobs = new HashMap<>();
        g.panels.forEach(p -> jobs.put(p.finding(), p.jobs()));
        for (Finding f : found) {
          String id = add(f);
          if (jobs.containsKey(f)) {
            consequences.put(id, jobs.get(f));
          }
        }
      }
      if (wanted.contains(Symptom.ALERTS)) {
        alerts();
      }
      return fold();
    }

    /** Adds {@code f} under an id not used yet; returns that id. */
    private String add(Finding f) {
      String id = f.id();
      for (int n = 2; ids.contains(id); n++) {
        id = f.id() + "-" + n;
      }
      ids.add(id);
      out.add(id.equals(f.id()) ? f : f.withId(id));
      return id;
    }

    private void fold(String cause, List<String> explained) {
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i).id().equals(cause)) {
          out.set(i, out.get(i).explaining(explained));
        }
      }
    }

    private List<Finding> fold() {
      consequences.forEach((id, jobs) -> jobs.forEach(job -> causesByJob.getOrDefault(job, List.of())
          .stream().findFirst().ifPresent(cause -> fold(cause, List.of(id)))));
      return List.copyOf(out);
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

    private void metrics(Map<String, String> containerIds) {
      RuntimeInfo info = reads.runtimeInfo();
      if (info.reloadConfigSuccess()) {
        add(Finding.ok(Symptom.METRICS, "prometheus", "Prometheus configuration loaded",
            "reloadConfigSuccess true, last loaded " + info.lastConfigTime()));
      } else {
        Optional<String> why = LogReasons.configReason(logs.tail("prometheus", ContainerDiagnosis.LOG_LINES));
        add(Finding.error(Symptom.METRICS, "prometheus", "Prometheus configuration loaded",
            "reloadConfigSuccess false, still running the configuration of " + info.lastConfigTime()
                + why.map(w -> "; log: " + w).orElse(""),
            "the last reload of prometheus.yml or a rule file was refused; Prometheus runs the previous one"
                + why.map(w -> ": " + w).orElse(""),
            "run `keiko-mon validate` to see the error (a hand edit of a file in " + outputDir + "/prometheus?"
                + " `keiko-mon render --force` restores it), then `keiko-mon up`"));
      }
      List<Target> active = reads.targets().activeTargets();
      if (active.isEmpty()) {
        add(Finding.error(Symptom.METRICS, "prometheus", "scrape targets", "/api/v1/targets lists no active target",
            "Prometheus scrapes nothing", "add backend.targets to keiko.yml, then `keiko-mon up`"));
      }
      boolean anyUp = false;
      for (Target t : active) {
        Finding f = targets.diagnose(t);
        String id = add(f);
        if (f.isError()) {
          String host = host(t.scrapeUrl());
          String container = containerIds.get(host);
          if (container != null) {
            fold(container, List.of(id));
          }
          causesByJob.computeIfAbsent(t.scrapePool(), k -> new ArrayList<>()).add(container != null ? container : id);
          if (neverUp(t.scrapePool())) {
            // a target that never answered explains the series nobody ever saw
            causesByJob.computeIfAbsent(SeriesDiagnosis.NEVER, k -> new ArrayList<>()).add(id);
          }
        }
        anyUp |= t.up();
      }
      if (anyUp) {
        exporters();
      }
    }

    private boolean neverUp(String job) {
      try {
        return prometheus.query("max_over_time(up{job=\"" + job.replace("\"", "\\\"") + "\"}["
          + SeriesDiagnosis.LOOK_BACK + "]) > 0").samples().isEmpty();
      } catch (ApiException e) {
        return false; // cannot tell: fold nothing under it
      }
    }

    /** Exporters answer their scrape (target up) while what they watch is down: their own gauges say so. */
    private void exporters() {
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
        add(Finding.ok(Symptom.METRICS, service, check, evidence));
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
      String id = add(Finding.error(Symptom.METRICS, service, check,
          evidence + why.map(w -> "; " + service + " log: " + w).orElse(""),
          cause + why.map(w -> ": " + w).orElse(""), remedy));
      causesByJob.computeIfAbsent(s.metric().getOrDefault("job", service), k -> new ArrayList<>()).add(id);
    }

    /** Every selector of every rule: does it select something, and if not, why. */
    private void ruleSeries() {
      List<RuleGroup> groups = reads.rules();
      List<String> recorded = groups.stream().flatMap(g -> g.rules().stream())
          .filter(r -> "recording".equals(r.type())).map(Rule::name).toList();
      Map<Selector, List<String>> users = new LinkedHashMap<>();
      for (RuleGroup g : groups) {
        for (Rule r : g.rules()) {
          try {
            for (Selector s : Selectors.extract(r.query())) {
              users.computeIfAbsent(s, k -> new ArrayList<>()).add(("alerting".equals(r.type()) ? "alert "
                  : "rule ") + r.name());
            }
          } catch (PromqlSyntaxException e) {
            // Prometheus loaded it, so it parses; the rule's health check reports evaluation problems
          }
        }
      }
      Map<String, Set<String>> jobs = new HashMap<>();
      for (Finding f : SeriesDiagnosis.findings(series, users, Symptom.METRICS, recorded, jobs)) {
        String id = add(f);
        consequences.put(id, jobs.getOrDefault(f.id(), Set.of()));
      }
    }

    private void alerts() {
      int rules = 0;
      boolean failing = false;
      for (RuleGroup g : reads.rules()) {
        for (Rule r : g.rules()) {
          rules++;
          if ("err".equals(r.health())) {
            failing = true;
            add(Finding.error(Symptom.ALERTS, "prometheus", "rule " + r.name() + " (group " + g.name() + ")",
                r.lastError(), "Prometheus fails to evaluate " + r.name() + ", so it never fires",
                "fix its expression (" + g.file() + "); `keiko-mon validate` runs promtool on it"));
          }
        }
      }
      if (rules == 0) {
        add(Finding.error(Symptom.ALERTS, "prometheus", "alert rules loaded", "/api/v1/rules lists no rule",
            "Prometheus has no alert rules, so nothing can fire", "check the `alerts` section of keiko.yml, then "
                + "`keiko-mon up`"));
      } else if (!failing) {
        add(Finding.ok(Symptom.ALERTS, "prometheus", "alert rules healthy",
            rules + " rules, none with an evaluation error"));
      }
      for (Alert a : reads.alerts()) {
        String name = a.labels().getOrDefault("alertname", "?");
        if (name.equals("Watchdog") || !"firing".equals(a.state())) {
          if ("pending".equals(a.state())) {
            add(Finding.ok(Symptom.ALERTS, "prometheus", "alert " + name + " pending " + labels(a),
                "active since " + a.activeAt() + ", value " + a.value()));
          }
          continue;
        }
        String id = add(Finding.warning(Symptom.ALERTS, "prometheus", "alert " + name + " firing " + labels(a),
            "active since " + a.activeAt() + ", value " + a.value(),
            a.annotations().getOrDefault("summary", name + " fires"),
            a.annotations().containsKey("runbook_url") ? "runbook: " + a.annotations().get("runbook_url")
                : "see docs/runbooks.md"));
        String job = a.labels().get("job");
        if (job != null) {
          consequences.put(id, Set.of(job));
        }
      }
      Alertmanagers discovered = reads.alertmanagers();
      if (discovered.activeAlertmanagers().isEmpty()) {
        add(Finding.error(Symptom.ALERTS, "prometheus", "Alertmanager discovered by Prometheus",
            "/api/v1/alertmanagers lists no active Alertmanager"
                + (discovered.droppedAlertmanagers().isEmpty() ? "" : " (" + discovered.droppedAlertmanagers().size()
                + " dropped)"),
            "Prometheus sends firing alerts nowhere", "enable components.alertmanager in keiko.yml, then "
                + "`keiko-mon up`"));
      } else {
        add(Finding.ok(Symptom.ALERTS, "prometheus", "Alertmanager discovered by Prometheus",
            discovered.activeAlertmanagers().get(0).url()));
        notificationErrors();
      }
      PrometheusReads.take(alertmanagerFindings).forEach(this::add);
    }

    /** Prometheus' side of delivery: notifications it could not send to the Alertmanager it discovered. */
    private void notificationErrors() {
      for (Sample s : reads.query(PrometheusReads.NOTIFICATION_ERRORS).samples()) {
        String am = s.metric().getOrDefault("alertmanager", "?");
        add(Finding.error(Symptom.ALERTS, "prometheus", "Prometheus sends alerts to " + am,
            "increase(prometheus_notifications_errors_total{alertmanager=\"" + am + "\"}[10m]) = " + s.value()
                + LogReasons.reason(logs.tail("prometheus", ContainerDiagnosis.LOG_LINES).stream()
                    .filter(l -> l.contains("notifier") || l.contains("alertmanager")).toList())
                    .map(w -> "; log: " + w).orElse(""),
            "Prometheus cannot deliver alerts to " + am + " (unreachable from its container?)",
            "`keiko-mon status` shows whether alertmanager runs; both must be on the stack's network"));
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

  private static String labels(Alert a) {
    List<String> l = new ArrayList<>();
    for (String k : List.of("job", "instance", "service", "severity")) {
      if (a.labels().containsKey(k)) {
        l.add(k + "=" + a.labels().get(k));
      }
    }
    return "{" + String.join(", ", l) + "}";
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
