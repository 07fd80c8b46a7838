package io.keikomon.up;

import io.keikomon.compose.ComposeLabels;
import io.keikomon.compose.ComposeModel;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.DockerOperationException;
import io.keikomon.engine.NetworkInfo;
import io.keikomon.stack.StackLabels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Repairs what a crash, a kill or two commands racing (before the project lock existed, or with docker-compose)
 * left behind, so that `up` converges instead of failing on it: containers stuck in Created (never started; the
 * plan creates them again) and duplicate {@code <project>_default} networks (the engine then calls the name
 * "ambiguous"): the empty duplicates are removed and one is kept. Runs under the project lock, before the plan.
 */
final class StackRepair {
  private StackRepair() {}

  /** @param note told each repair, e.g. "removed container kp-grafana, left in Created by an earlier run" */
  static void repair(DockerGateway docker, ComposeModel model, Consumer<String> note, Consumer<String> warn) {
    for (ContainerSummary c : docker.listContainers(StackLabels.projectFilter(model.project()))) {
      if ("created".equals(c.state())) {
        docker.removeContainer(c.id(), true);
        note.accept("removed container " + c.name() + ", left in Created by an earlier run; it is created again");
      }
    }
    String name = model.defaultNetworkName();
    List<NetworkInfo> same = docker.listNetworks(StackLabels.projectFilter(model.project())).stream()
        .filter(n -> n.name().equals(name))
        .sorted(Comparator.comparing(NetworkInfo::id))
        .toList();
    if (same.size() < 2) {
      return;
    }
    List<NetworkInfo> kept = new ArrayList<>();
    for (int i = 0; i < same.size(); i++) {
      NetworkInfo n = same.get(i);
      if (kept.isEmpty() && i == same.size() - 1) {
        kept.add(n);
        break;
      }
      try {
        docker.removeNetwork(n.id());
        note.accept("removed duplicate network " + name + " (" + shortId(n.id()) + ")");
      } catch (DockerOperationException inUse) {
        kept.add(n); // running containers are attached to it
      }
    }
    if (kept.size() > 1) {
      warn.accept("there are " + kept.size() + " networks named " + name + ", each with running containers;"
          + " `keiko-mon down` and `keiko-mon up` leave one");
    }
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  /** Stops and removes the project's containers that were started from another folder (`up --force`). */
  static void removeForeign(DockerGateway docker, ComposeModel model, Consumer<String> note) {
    String here = model.workingDir().toString();
    for (ContainerSummary c : docker.listContainers(StackLabels.projectFilter(model.project()))) {
      String dir = c.labels().get(ComposeLabels.WORKING_DIR);
      if (dir != null && !dir.equals(here)) {
        docker.stopContainer(c.id(), java.time.Duration.ofSeconds(10));
        docker.removeContainer(c.id(), true);
        note.accept("removed container " + c.name() + " (started from " + dir + ")");
      }
    }
  }

  /** The folder another checkout of the same project runs from, if the project's containers say so. */
  static java.util.Optional<String> otherWorkingDir(DockerGateway docker, ComposeModel model) {
    String here = model.workingDir().toString();
    return docker.listContainers(StackLabels.projectFilter(model.project())).stream()
        .map(c -> c.labels().get(ComposeLabels.WORKING_DIR))
        .filter(d -> d != null && !d.equals(here))
        .findFirst();
  }
}
