package io.keikomon.stack;

import java.nio.file.Path;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * How a stack runs: today as Compose-labelled containers on one engine ({@link ComposeStackRuntime}); a Swarm
 * runtime (services and tasks of a {@code docker stack}) would be a second implementation. Commands find the
 * {@link Stack} once and pass it on.
 */
public interface StackRuntime {
  /** The project as it is now; {@code composeFile} may not exist yet (nothing rendered). */
  Stack find(String project, Path outputDir, Path composeFile);

  /** One entry per service: each with a container, plus each declared service that has none. */
  StatusReport status(Stack stack);

  /** {@link #status} without Prometheus' targets (doctor reads those itself), when that is cheaper. */
  default StatusReport servicesOnly(Stack stack) {
    return status(stack);
  }

  /** Logs of {@code services} (all when empty), each line prefixed with its service. */
  void logs(Stack stack, Collection<String> services, int tail, boolean follow, Consumer<String> out)
      throws InterruptedException;

  /** Removes the project's containers and networks (and volumes when asked). */
  StackTeardown.Result down(Stack stack, boolean removeVolumes, Consumer<String> progress);
}
