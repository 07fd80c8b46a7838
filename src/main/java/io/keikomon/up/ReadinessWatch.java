package io.keikomon.up;

import io.keikomon.compose.ComposeModel;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerEvent;
import io.keikomon.engine.ContainerState;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.DockerOperationException;
import io.keikomon.engine.EventFilter;
import io.keikomon.engine.EventListener;
import io.keikomon.engine.ExecResult;
import io.keikomon.engine.Health;
import io.keikomon.engine.HealthProbe;
import io.keikomon.engine.LogRequest;
import io.keikomon.engine.Subscription;
import io.keikomon.stack.HealthcheckProbe;
import io.keikomon.stack.StackLabels;

import io.keikomon.core.UnhealthyException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows when a service is ready. Listens to the engine's health_status and die events for the project (so a
 * verdict from the engine arrives at once, without polling), and, because Docker before 25 runs the first
 * healthcheck only after a whole {@code interval}, also runs the service's own healthcheck command through exec
 * every {@code probeEvery} ({@link HealthcheckProbe}, which {@code status} runs too): the service is ready as soon as
 * either says so.
 */
public final class ReadinessWatch implements AutoCloseable {
  private static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(5);
  private static final int LOG_LINES = 20;

  private final DockerGateway docker;
  private final Duration probeEvery;
  private final Map<String, String> health = new ConcurrentHashMap<>();
  private final Map<String, String> died = new ConcurrentHashMap<>();
  private final Object signal = new Object();
  private final Subscription events;

  ReadinessWatch(DockerGateway docker, String project, Duration probeEvery) {
    this.docker = docker;
    this.probeEvery = probeEvery;
    this.events = docker.events(new EventFilter(StackLabels.projectFilter(project), List.of("health_status", "die")),
        new EventListener() {
          @Override
          public void event(ContainerEvent e) {
            if (e.action().equals("die")) {
              died.put(e.containerId(), String.valueOf(e.attribute("exitCode")));
            } else {
              e.healthStatus().ifPresent(h -> health.put(e.containerId(), h));
            }
            synchronized (signal) {
              signal.notifyAll();
            }
          }
        });
  }

  /**
   * Blocks until the service in container {@code id} is ready.
   *
   * @throws UnhealthyException naming the service, with its health-check output and last log lines, when it
   *     exits, the engine calls it unhealthy, or {@code deadline} passes
   */
  void awaitReady(String service, String id, Optional<ComposeModel.Health> check, Instant deadline) {
    boolean probe = check.isPresent() && !check.get().disabled();
    Duration probeTimeout = probe && check.get().timeoutNanos() > 0
        ? Duration.ofNanos(check.get().timeoutNanos()) : DEFAULT_PROBE_TIMEOUT;
    String lastProbeOutput = "";
    while (true) {
      if (died.containsKey(id)) {
        throw failure(service, id, "exited with code " + died.get(id), lastProbeOutput);
      }
      String h = health.get(id);
      if ("healthy".equals(h)) {
        return;
      }
      if ("unhealthy".equals(h)) {
        throw failure(service, id, "is unhealthy", lastProbeOutput);
      }
      ContainerDetails c = docker.inspectContainer(id).orElseThrow(
          () -> new UnhealthyException("service " + service + ": its container " + id + " disappeared",
              "run `keiko-mon up` again"));
      if (!c.state().running() && !"created".equals(c.state().status())) {
        throw failure(service, id, "exited with code " + c.state().exitCode(), lastProbeOutput);
      }
      Health engineHealth = c.state().health();
      if (c.state().running()) {
        if (engineHealth != null && engineHealth.healthy()) {
          return;
        }
        if (!probe && engineHealth == null) {
          return;
        }
        if (probe) {
          Duration left = Duration.between(Instant.now(), deadline);
          try {
            ExecResult r = HealthcheckProbe.run(docker, id, check.get().test(),
                left.compareTo(probeTimeout) < 0 && !left.isNegative() ? left : probeTimeout);
            if (r.exitCode() == 0) {
              return;
            }
            lastProbeOutput = r.output();
          } catch (DockerOperationException e) {
            // the container stopped between inspect and exec: the next round reports how it exited
            lastProbeOutput = e.getMessage();
          }
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw failure(service, id, "did not become healthy in time", lastProbeOutput);
      }
      synchronized (signal) {
        try {
          signal.wait(Math.max(1, probeEvery.toMillis()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new UnhealthyException("interrupted while waiting for " + service, null);
        }
      }
    }
  }

  private UnhealthyException failure(String service, String id, String what, String probeOutput) {
    StringBuilder m = new StringBuilder("service ").append(service).append(' ').append(what);
    String healthOutput = docker.inspectContainer(id)
        .map(ContainerDetails::state)
        .map(ContainerState::health)
        .flatMap(Health::lastProbe)
        .map(HealthProbe::output)
        .filter(o -> !o.isBlank())
        .orElse(probeOutput);
    if (healthOutput != null && !healthOutput.isBlank()) {
      m.append("\nhealth check output:\n  ").append(healthOutput.strip().replace("\n", "\n  "));
    }
    List<String> lines = lastLogLines(id);
    if (!lines.isEmpty()) {
      m.append("\nlast ").append(lines.size()).append(" log lines of ").append(service).append(":\n  ")
          .append(String.join("\n  ", lines));
    }
    return new UnhealthyException(m.toString(),
        "fix the cause above and run `keiko-mon up` again; `keiko-mon logs " + service + "` shows the whole log");
  }

  private List<String> lastLogLines(String id) {
    List<String> lines = new ArrayList<>();
    try (Subscription s = docker.logs(id, LogRequest.last(LOG_LINES), (stderr, text) -> {
      synchronized (lines) {
        lines.add(text);
      }
    })) {
      s.awaitCompletion(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // the log is a courtesy in an error message; its absence must not hide the error itself
    }
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void close() {
    events.close();
  }
}
