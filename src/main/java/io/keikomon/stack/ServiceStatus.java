package io.keikomon.stack;

import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerState;
import io.keikomon.engine.Health;
import io.keikomon.engine.PublishedPort;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How one service of the stack is doing, computed from what the engine reports (no engine access here,
 * so every case is testable with records alone).
 *
 * @param container container name, or null when the service has no container
 * @param state engine state (running, exited, ...) or "missing"
 * @param health healthy / unhealthy / starting, or "-" without a healthcheck
 * @param uptime how long it has been running, or null when not running
 * @param problem why the service is not OK (last healthcheck output, exit code, ...), or null when it is
 * @param probed true when Docker still says {@code starting} but the healthcheck keiko-mon ran itself passed
 */
public record ServiceStatus(
    String service,
    String container,
    String state,
    String health,
    List<PublishedPort> ports,
    Duration uptime,
    String image,
    String problem,
    boolean probed) {

  public static final String MISSING = "missing";
  public static final String NO_HEALTHCHECK = "-";
  /** What a probed service's health says, in the table and in messages. */
  public static final String PROBED_NOTE = "healthy (probe; Docker's first check pending)";

  public ServiceStatus {
    ports = List.copyOf(ports);
  }

  /** Running and, when it has a healthcheck, healthy. */
  public boolean ok() {
    return problem == null;
  }

  /** A service in the compose file with no container at all. */
  public static ServiceStatus missing(String service) {
    return new ServiceStatus(service, null, MISSING, NO_HEALTHCHECK, List.of(), null, null,
        "no container (run `keiko-mon up`)", false);
  }

  /** The status of {@code service} given its inspected container, at {@code now}. */
  public static ServiceStatus of(String service, ContainerDetails c, Instant now) {
    ContainerState s = c.state();
    Health h = s.health();
    String health = h == null ? NO_HEALTHCHECK : h.status();
    Duration uptime = s.running() && s.startedAt() != null && !s.startedAt().isAfter(now)
        ? Duration.between(s.startedAt(), now) : null;
    return new ServiceStatus(service, c.name(), s.status(), health, c.ports(), uptime, c.image(), problem(s), false);
  }

  /** Running, Docker's health still {@code starting}: the case where keiko-mon's own probe decides. */
  public boolean awaitingFirstCheck() {
    return uptime != null && "starting".equals(health);
  }

  /** The same service after the healthcheck, run by keiko-mon, passed. */
  public ServiceStatus probePassed() {
    return new ServiceStatus(service, container, state, "healthy", ports, uptime, image, null, true);
  }

  /** The HEALTH column. */
  public String healthText() {
    return probed ? "healthy (probe)" : health;
  }

  private static String problem(ContainerState s) {
    if (!s.running() || "restarting".equals(s.status()) || "paused".equals(s.status())) {
      StringBuilder why = new StringBuilder(s.status());
      if (!"created".equals(s.status()) && !"paused".equals(s.status())) {
        why.append(" (exit code ").append(s.exitCode()).append(s.oomKilled() ? ", out of memory" : "").append(')');
      }
      if (s.error() != null && !s.error().isEmpty()) {
        why.append(": ").append(s.error());
      }
      return why.toString();
    }
    Health h = s.health();
    if (h == null || h.healthy()) {
      return null;
    }
    String last = h.lastProbe().map(p -> oneLine(p.output())).filter(o -> !o.isEmpty()).orElse(null);
    if ("starting".equals(h.status())) {
      return last == null ? "healthcheck has not passed yet" : "healthcheck has not passed yet: " + last;
    }
    return "unhealthy after " + h.failingStreak() + " failed checks" + (last == null ? "" : ": " + last);
  }

  private static String oneLine(String text) {
    String t = text.strip().replaceAll("\\s*\\R\\s*", " | ");
    return t.length() > 200 ? t.substring(0, 200) + "..." : t;
  }

  /** Compact uptime the way a person reads it: 45s, 12m3s, 5h7m, 3d4h. */
  public static String formatUptime(Duration d) {
    if (d == null) {
      return "-";
    }
    long s = d.getSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + (s % 60) + "s";
    }
    if (s < 86400) {
      return (s / 3600) + "h" + (s % 3600 / 60) + "m";
    }
    return (s / 86400) + "d" + (s % 86400 / 3600) + "h";
  }
}
