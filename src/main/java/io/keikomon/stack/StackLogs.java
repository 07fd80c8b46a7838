package io.keikomon.stack;

import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.LogRequest;
import io.keikomon.engine.Subscription;

import io.keikomon.core.OperationFailedException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code logs}: the log lines of a project's services, each prefixed with its service name (padded so the
 * lines line up), like {@code docker-compose logs}.
 */
public final class StackLogs {
  private final DockerGateway docker;

  public StackLogs(DockerGateway docker) {
    this.docker = docker;
  }

  /**
   * Writes the lines of {@code services} (all when empty) to {@code out}. Without {@code follow}, service
   * after service; with it, interleaved as they come until every container stops or the thread is interrupted.
   *
   * @param tail last lines per service, or -1 for all
   */
  public void logs(Stack stack, Collection<String> services, int tail, boolean follow, Consumer<String> out)
      throws InterruptedException {
    String project = stack.project();
    Map<String, ContainerSummary> byService = stack.currentContainers();
    if (byService.isEmpty()) {
      throw new OperationFailedException("project " + project + " has no containers",
          "start the stack with `keiko-mon up`");
    }
    List<String> wanted = new ArrayList<>();
    for (String s : services.isEmpty() ? byService.keySet() : services) {
      if (!byService.containsKey(s)) {
        throw new OperationFailedException("no container for service " + s + " in project " + project,
            "services with containers: " + String.join(", ", byService.keySet()));
      }
      if (!wanted.contains(s)) {
        wanted.add(s);
      }
    }
    int width = wanted.stream().mapToInt(String::length).max().orElse(0);
    LogRequest request = new LogRequest(tail, follow, null);
    if (!follow) {
      for (String s : wanted) {
        try (Subscription sub = docker.logs(byService.get(s).id(), request, (err, line) -> out.accept(prefix(s, width)
            + line))) {
          sub.awaitCompletion();
        }
      }
      return;
    }
    Object lock = new Object();
    List<Subscription> subs = new ArrayList<>();
    try {
      for (String s : wanted) {
        subs.add(docker.logs(byService.get(s).id(), request, (err, line) -> {
          synchronized (lock) {
            out.accept(prefix(s, width) + line);
          }
        }));
      }
      for (Subscription sub : subs) {
        sub.awaitCompletion();
      }
    } finally {
      subs.forEach(Subscription::close);
    }
  }

  private static String prefix(String service, int width) {
    return String.format("%-" + width + "s | ", service);
  }
}
