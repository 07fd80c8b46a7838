package io.keikomon.stack;

import io.keikomon.compose.StackFile;
import io.keikomon.core.OperationFailedException;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.LogRequest;
import io.keikomon.engine.Subscription;
import io.keikomon.engine.SwarmGateway;
import io.keikomon.engine.SwarmGateway.SwarmService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** The logs of a swarm stack's services (each through its service log), every line prefixed with its service. */
final class SwarmLogs {
  private final DockerGateway docker;

  SwarmLogs(DockerGateway docker) {
    this.docker = docker;
  }

  void logs(Stack stack, Collection<String> services, int tail, boolean follow, Consumer<String> out)
      throws InterruptedException {
    SwarmGateway swarm = docker.swarm();
    Map<String, SwarmService> found = new TreeMap<>();
    swarm.listServices(Map.of(StackFile.NAMESPACE, stack.project()))
        .forEach(s -> found.put(s.name().substring(stack.project().length() + 1), s));
    if (found.isEmpty()) {
      throw new OperationFailedException("stack " + stack.project() + " has no services", "start it with `keiko-mon up`");
    }
    List<String> wanted = new ArrayList<>();
    for (String s : services.isEmpty() ? found.keySet() : services) {
      if (!found.containsKey(s)) {
        throw new OperationFailedException("no service " + s + " in stack " + stack.project(),
            "services: " + String.join(", ", found.keySet()));
      }
      wanted.add(s);
    }
    int width = wanted.stream().mapToInt(String::length).max().orElse(0);
    Object lock = new Object();
    LogRequest request = new LogRequest(tail, follow, null);
    List<Subscription> subs = new ArrayList<>();
    try {
      for (String s : wanted) {
        Subscription sub = swarm.serviceLogs(found.get(s).id(), request, (err, line) -> {
          synchronized (lock) {
            out.accept(String.format("%-" + width + "s | ", s) + line);
          }
        });
        if (follow) {
          subs.add(sub);
        } else {
          try (sub) {
            sub.awaitCompletion();
          }
        }
      }
      for (Subscription sub : subs) {
        sub.awaitCompletion();
      }
    } finally {
      subs.forEach(Subscription::close);
    }
  }
}
