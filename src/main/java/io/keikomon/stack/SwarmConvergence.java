package io.keikomon.stack;

import io.keikomon.compose.StackFile;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.UnhealthyException;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.SwarmGateway;
import io.keikomon.engine.SwarmGateway.SwarmService;
import io.keikomon.engine.SwarmGateway.SwarmTask;
import io.keikomon.engine.SwarmServiceSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Whether each service of a stack file has converged on the swarm (every task running and healthy, no rolling update
 * in progress) or failed (its update paused or rolled back), waited for with a progress line per change.
 */
final class SwarmConvergence {
  private final DockerGateway docker;
  private final Clock clock;
  private final Duration pollEvery;

  SwarmConvergence(DockerGateway docker, Clock clock, Duration pollEvery) {
    this.docker = docker;
    this.clock = clock;
    this.pollEvery = pollEvery;
  }

  /** Waits until every service of the file has converged; reports progress once per change. */
  void awaitConverged(StackFile file, Instant deadline, Consumer<String> progress) {
    Map<String, String> last = new HashMap<>();
    while (true) {
      Map<String, Convergence> now = convergence(file);
      now.forEach((service, c) -> {
        if (!c.text().equals(last.put(service, c.text()))) {
          progress.accept(service + ": " + c.text());
        }
      });
      List<Convergence> failed = now.values().stream().filter(Convergence::failed).toList();
      if (!failed.isEmpty()) {
        throw new UnhealthyException("the rolling update of " + String.join(", ", failed.stream().map(Convergence::service)
            .toList()) + " failed: " + failed.get(0).text(),
            "`keiko-mon logs " + failed.get(0).service() + "` shows why; fix keiko.yml and run `keiko-mon up` again");
      }
      if (now.values().stream().allMatch(Convergence::done)) {
        return;
      }
      if (clock.instant().isAfter(deadline)) {
        List<Convergence> pending = now.values().stream().filter(c -> !c.done()).toList();
        StringBuilder why = new StringBuilder();
        pending.forEach(c -> why.append("\n  ").append(c.service()).append(": ").append(c.text()));
        throw new UnhealthyException("the stack did not converge in time:" + why,
            "`keiko-mon status` shows each task and its node; `keiko-mon logs <service>` why one does not start;"
                + " a longer --timeout helps a slow first pull");
      }
      try {
        Thread.sleep(pollEvery.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OperationFailedException("interrupted while waiting for the stack to converge",
            "run `keiko-mon up` again; Swarm carries on converging meanwhile");
      }
    }
  }

  /** One service: {@code done} when converged, {@code failed} when its update paused or rolled back. */
  record Convergence(String service, boolean done, boolean failed, String text) {}

  private Map<String, Convergence> convergence(StackFile file) {
    SwarmGateway swarm = docker.swarm();
    Map<String, SwarmService> services = new HashMap<>();
    swarm.listServices(file.labels()).forEach(s -> services.put(s.name(), s));
    int nodes = -1;
    Map<String, Convergence> out = new TreeMap<>();
    for (SwarmServiceSpec spec : file.services()) {
      String shortName = SwarmDeploy.shortName(file, spec.name());
      SwarmService s = services.get(spec.name());
      if (s == null) {
        out.put(shortName, new Convergence(shortName, false, false, "not created"));
        continue;
      }
      List<SwarmTask> current = swarm.listTasks(s.id()).stream().filter(SwarmTask::current).toList();
      long running = current.stream().filter(SwarmTask::running).count();
      int desired;
      if (s.global()) {
        if (nodes < 0) {
          nodes = swarm.nodeNames().size();
        }
        desired = nodes;
      } else {
        desired = s.replicas();
      }
      String update = s.updateState();
      boolean updating = update.equals("updating") || update.equals("rollback_started");
      boolean failed = update.equals("paused") || update.equals("rollback_paused") || update.equals("rollback_completed");
      boolean done = !updating && !failed && running == desired && current.size() == desired;
      String text = running + "/" + desired + " running" + (updating ? ", rolling update in progress" : "")
          + (failed ? ", update " + update.replace('_', ' ') + (s.updateMessage().isEmpty() ? "" : ": "
              + s.updateMessage()) : "");
      Optional<SwarmTask> broken = current.stream().filter(t -> !t.running() && !t.error().isEmpty()).findFirst();
      if (!done && broken.isPresent()) {
        text += " (task " + broken.get().slot() + ": " + broken.get().error() + ")";
      }
      out.put(shortName, new Convergence(shortName, done, failed, text));
    }
    return out;
  }
}
