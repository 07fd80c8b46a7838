package io.keikomon.stack;

import io.keikomon.compose.ComposeLabels;
import io.keikomon.compose.ComposeServices;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** A stack as Docker Compose runs it: containers labelled with the project and service, on one engine. */
public final class ComposeStackRuntime implements StackRuntime {
  private final DockerGateway docker;
  private final Clock clock;

  public ComposeStackRuntime(DockerGateway docker, Clock clock) {
    this.docker = docker;
    this.clock = clock;
  }

  @Override
  public Stack find(String project, Path outputDir, Path composeFile) {
    return new Stack(project, outputDir, composeFile, ComposeServices.read(composeFile), containersByService(project),
        ComposeServices.healthchecks(composeFile));
  }

  @Override
  public StatusReport status(Stack stack) {
    return new StackStatus(docker, clock).status(stack);
  }

  @Override
  public StatusReport servicesOnly(Stack stack) {
    return new StatusReport(stack.project(), new StackStatus(docker, clock).services(stack), List.of(), null);
  }

  @Override
  public void logs(Stack stack, Collection<String> services, int tail, boolean follow, Consumer<String> out)
      throws InterruptedException {
    new StackLogs(docker).logs(stack, services, tail, follow, out);
  }

  @Override
  public StackTeardown.Result down(Stack stack, boolean removeVolumes, Consumer<String> progress) {
    // teardown lists again, one-off containers and networks included: everything of the project goes
    return new StackTeardown(docker).down(stack.project(), removeVolumes, progress);
  }

  private Map<String, List<ContainerSummary>> containersByService(String project) {
    Map<String, List<ContainerSummary>> byService = new TreeMap<>();
    for (ContainerSummary c : docker.listContainers(StackLabels.projectFilter(project))) {
      String service = c.label(ComposeLabels.SERVICE);
      if (service != null && !"True".equals(c.label(ComposeLabels.ONEOFF))) {
        byService.computeIfAbsent(service, s -> new ArrayList<>()).add(c);
      }
    }
    return byService;
  }
}
