package io.keikomon.stack;

import io.keikomon.compose.ComposeLabels;
import io.keikomon.engine.DockerGateway;

import io.keikomon.core.KeikoException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Exercises the read-only calls status, down and logs make, so the launcher's class-data-sharing training
 * run records docker-java's classes too (they are most of what a Docker command loads). Changes nothing.
 */
public final class EngineWarmUp {
  private static final String NO_SUCH_PROJECT = "keiko-mon-cds-training";

  private EngineWarmUp() {}

  /** Best effort: without an engine the archive simply holds fewer classes. */
  public static void run(Supplier<DockerGateway> connect) {
    try (DockerGateway docker = connect.get()) {
      docker.info();
      docker.listContainers(Map.of(ComposeLabels.PROJECT, NO_SUCH_PROJECT));
      docker.listNetworks(Map.of(ComposeLabels.PROJECT, NO_SUCH_PROJECT));
      docker.listVolumes(Map.of(ComposeLabels.PROJECT, NO_SUCH_PROJECT));
      docker.inspectContainer(NO_SUCH_PROJECT);
      // a real inspect loads the classes of a full answer; any container will do, nothing is changed
      docker.listContainers(Map.of()).stream().findFirst().ifPresent(c -> docker.inspectContainer(c.id()));
    } catch (KeikoException e) {
      // no engine here; nothing to record
    }
  }
}
