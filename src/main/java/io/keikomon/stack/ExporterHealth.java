package io.keikomon.stack;

import io.keikomon.api.ApiException;
import io.keikomon.api.PrometheusClient;
import io.keikomon.api.PrometheusModel.Sample;
import io.keikomon.api.PrometheusModel.Target;
import io.keikomon.compose.ComposeLabels;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.LogRequest;
import io.keikomon.engine.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the stack sees what it monitors, as Prometheus does: the scrape state of every target, and each
 * exporter's own "can I reach my service" gauge ({@code pg_up}, {@code redis_up}, {@code probe_success}). A
 * container can be healthy while its exporter cannot log in to PostgreSQL; this is where that shows, with the
 * exporter's own reason from its log (e.g. {@code password authentication failed for user "keiko"}).
 */
public final class ExporterHealth {
  /** The exporters' gauges and the compose service whose log tells why one is 0. */
  private static final Map<String, String> GAUGES = Map.of(
      "pg_up", "postgres-exporter", "redis_up", "redis-exporter", "probe_success", "blackbox-exporter");
  private static final Map<String, String> JOB_SERVICES = Map.of(
      "postgres", "postgres-exporter", "redis", "redis-exporter", "blackbox", "blackbox-exporter");
  private static final Pattern ERR = Pattern.compile("\\berr(?:or)?=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final int LOG_LINES = 50;

  /** One target or gauge; {@code problem} is null when it is fine. */
  public record Check(String what, String state, String problem) {
    public boolean ok() {
      return problem == null;
    }

    public String line() {
      return String.format("  %-44s %s", what, ok() ? state : state + ": " + problem);
    }
  }

  /** @param unavailable why Prometheus could not be asked, or null */
  public record Report(List<Check> targets, List<Check> gauges, String unavailable) {
    public Report {
      targets = List.copyOf(targets);
      gauges = List.copyOf(gauges);
    }

    public boolean ok() {
      return unavailable == null && targets.stream().allMatch(Check::ok) && gauges.stream().allMatch(Check::ok);
    }

    public List<Check> failing() {
      List<Check> f = new ArrayList<>();
      targets.stream().filter(c -> !c.ok()).forEach(f::add);
      gauges.stream().filter(c -> !c.ok()).forEach(f::add);
      return f;
    }

    /** The block `up` and `status` print: a heading, then one line per target and gauge. */
    public List<String> lines() {
      if (unavailable != null) {
        return List.of("monitored targets: unknown (" + unavailable + ")");
      }
      long up = targets.stream().filter(Check::ok).count();
      List<String> l = new ArrayList<>();
      l.add("monitored targets (as Prometheus scrapes them): " + up + " of " + targets.size() + " up");
      targets.forEach(c -> l.add(c.line()));
      gauges.forEach(c -> l.add(c.line()));
      return l;
    }
  }

  private ExporterHealth() {}

  /**
   * A client for Prometheus' published port, when the engine runs on this machine (else the port may not be
   * reachable from here, and the check is left out).
   */
  public static Optional<PrometheusClient> prometheus(String engineEndpoint, String bind, int port) {
    return prometheus(engineEndpoint, bind, port, StackAccess.PLAIN);
  }

  /** The same, with the stack's credentials and CA. */
  public static Optional<PrometheusClient> prometheus(String engineEndpoint, String bind, int port,
      StackAccess access) {
    String e = engineEndpoint == null ? "" : engineEndpoint;
    boolean local = e.startsWith("unix://") || e.startsWith("npipe://") || e.contains("://localhost")
        || e.contains("://127.0.0.1");
    if (!local || port <= 0) {
      return Optional.empty();
    }
    String host = bind == null || bind.isBlank() || bind.equals("0.0.0.0") ? "127.0.0.1" : bind;
    return Optional.of(new PrometheusClient(access.direct(io.keikomon.core.Component.PROMETHEUS, host, port).build()));
  }

  /**
   * Asks Prometheus; with {@code waitForScrapes} positive, first waits (that long at most) until every target has
   * been scraped once, as it has not right after `up` started it.
   */
  public static Report check(PrometheusClient prometheus, DockerGateway docker, String project,
      Duration waitForScrapes) {
    try {
      Instant until = Instant.now().plus(waitForScrapes);
      List<Target> targets = prometheus.targets().activeTargets();
      // A Prometheus that has just (re)started has no targets yet: that is "not scraped yet", not "0 of 0".
      while ((targets.isEmpty() || targets.stream().anyMatch(t -> "unknown".equals(t.health())))
          && Instant.now().isBefore(until)) {
        sleep();
        targets = prometheus.targets().activeTargets();
      }
      List<Check> scraped = new ArrayList<>();
      for (Target t : targets) {
        String what = t.scrapePool() + " " + t.labels().getOrDefault("instance", t.scrapeUrl());
        scraped.add(switch (t.health()) {
          case "up" -> new Check(what, "up", null);
          case "unknown" -> new Check(what, "not scraped yet", null);
          default -> new Check(what, "down", withExporterReason(docker, project, t.scrapePool(),
              t.lastError().isEmpty() ? "scrape failed" : t.lastError()));
        });
      }
      List<Check> gauges = new ArrayList<>();
      for (String gauge : List.of("pg_up", "redis_up", "probe_success")) {
        for (Sample s : prometheus.query(gauge).samples()) {
          String what = gauge + (s.metric().containsKey("instance") && gauge.equals("probe_success")
              ? " " + s.metric().get("instance") : "");
          gauges.add(s.number() == 1 ? new Check(what, "1", null)
              : new Check(what, "0", reason(docker, project, GAUGES.get(gauge)).orElse(
                  gauge.equals("probe_success") ? "the probe failed" : "the exporter cannot reach its service")));
        }
      }
      return new Report(scraped, gauges, null);
    } catch (ApiException e) {
      return new Report(List.of(), List.of(), "Prometheus did not answer: " + e.getMessage());
    }
  }

  /** An exporter that cannot reach its service may also answer its scrape too late; its log still says why. */
  private static String withExporterReason(DockerGateway docker, String project, String job, String scrapeError) {
    String service = JOB_SERVICES.get(job);
    return service == null ? scrapeError : reason(docker, project, service)
        .map(r -> scrapeError + "; " + service + " says: " + r).orElse(scrapeError);
  }

  /** The exporter's last error, from its log: the {@code err="..."} of its newest line that has one. */
  static Optional<String> reason(DockerGateway docker, String project, String service) {
    Optional<ContainerSummary> c = docker.listContainers(Map.of(ComposeLabels.PROJECT, project,
        ComposeLabels.SERVICE, service)).stream().findFirst();
    if (c.isEmpty()) {
      return Optional.empty();
    }
    List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    try (Subscription s = docker.logs(c.get().id(), LogRequest.last(LOG_LINES), (stderr, line) -> lines.add(line))) {
      s.awaitCompletion(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    return lastError(List.copyOf(lines));
  }

  static Optional<String> lastError(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      Matcher m = ERR.matcher(lines.get(i));
      if (m.find()) {
        return Optional.of(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
      }
    }
    return Optional.empty();
  }

  private static void sleep() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
