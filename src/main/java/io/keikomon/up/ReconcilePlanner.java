package io.keikomon.up;

import io.keikomon.compose.ComposeModel;

import io.keikomon.compose.ComposeLabels;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.stack.StackLabels;

import io.keikomon.compose.ComposeModel.Service;
import io.keikomon.up.Plan.Action;
import io.keikomon.up.Plan.Removal;
import io.keikomon.up.Plan.Step;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares the desired stack (the compose file, its hashes and the local image ids) with the project's
 * containers and decides, per service, the least that brings them in line. Pure: no engine calls.
 */
public final class ReconcilePlanner {
  private ReconcilePlanner() {}

  /**
   * @param desired per service: its spec hash, config hash and the id of its image as the engine has it now
   *     (null when the image is not present locally yet)
   * @param observed every container carrying the project label
   * @param reloaded container id → config hash a live reload applied since it was created ({@link ReloadLedger})
   */
  public static Plan plan(ComposeModel model, Map<String, Desired> desired, List<ContainerDetails> observed,
      Map<String, String> reloaded) {
    List<Step> steps = new ArrayList<>();
    List<Removal> removals = new ArrayList<>();
    for (ContainerDetails c : observed) {
      String svc = c.label(ComposeLabels.SERVICE);
      if (svc == null || !model.services().containsKey(svc)) {
        removals.add(new Removal(svc, c.id(), c.name(), "service " + svc + " is no longer in the compose file"));
      } else if ("True".equals(c.label(ComposeLabels.ONEOFF))) {
        removals.add(new Removal(svc, c.id(), c.name(), "one-off container of " + svc));
      }
    }
    for (Service s : model.services().values()) {
      List<ContainerDetails> mine = observed.stream()
          .filter(c -> s.name().equals(c.label(ComposeLabels.SERVICE)) && !"True".equals(c.label(ComposeLabels.ONEOFF)))
          // the one with the wanted name wins; then the newest
          .sorted(Comparator.comparing((ContainerDetails c) -> !c.name().equals(s.containerName()))
              .thenComparing(ContainerDetails::created, Comparator.reverseOrder()))
          .toList();
      for (ContainerDetails extra : mine.stream().skip(1).toList()) {
        removals.add(new Removal(s.name(), extra.id(), extra.name(), "second container of " + s.name()));
      }
      steps.add(step(s, desired.get(s.name()), mine.isEmpty() ? Optional.empty() : Optional.of(mine.get(0)), reloaded));
    }
    return new Plan(steps, removals);
  }

  private static Step step(Service s, Desired want, Optional<ContainerDetails> found, Map<String, String> reloaded) {
    if (found.isEmpty()) {
      return new Step(s.name(), Action.CREATE, null, "no container yet");
    }
    ContainerDetails c = found.get();
    if (!want.specHash().equals(c.label(StackLabels.SPEC_HASH))) {
      return new Step(s.name(), Action.RECREATE, c.id(), c.label(StackLabels.SPEC_HASH) == null
          ? "container was not created by keiko-mon" : "its definition in the compose file changed");
    }
    if (want.imageId() == null || !want.imageId().equals(c.imageId())) {
      return new Step(s.name(), Action.RECREATE, c.id(), "image " + s.image() + " changed");
    }
    boolean configChanged = !want.configHash().equals(reloaded.getOrDefault(c.id(), c.label(StackLabels.CONFIG_HASH)));
    boolean running = c.state() != null && c.state().running();
    if (configChanged) {
      Optional<ReloadKind> kind = ReloadKind.of(s);
      // a service that reloads some of its files (Grafana) must be recreated for the others; a container
      // without the label is from before keiko-mon told them apart, and is recreated once to be sure
      boolean fixedUnchanged = kind.map(k -> !k.partial()
          || want.fixedConfigHash().equals(c.label(StackLabels.FIXED_CONFIG_HASH))).orElse(false);
      if (running && kind.isPresent() && fixedUnchanged) {
        return new Step(s.name(), Action.RELOAD, c.id(), "mounted config files changed");
      }
      if (running && kind.isPresent()) {
        return new Step(s.name(), Action.RECREATE, c.id(), c.label(StackLabels.FIXED_CONFIG_HASH) == null
            ? "mounted config files changed (container from before keiko-mon reloaded them live)"
            : "mounted files " + s.name() + " reads only at start changed");
      }
      return new Step(s.name(), Action.RECREATE, c.id(), "mounted config files changed"
          + (running ? " and " + s.name() + " cannot reload them live" : ""));
    }
    if (!running) {
      return new Step(s.name(), Action.START, c.id(), "container is " + (c.state() == null ? "stopped" : c.state().status()));
    }
    return new Step(s.name(), Action.KEEP, c.id(), "");
  }

  /**
   * What a service should look like, beyond the compose file itself.
   *
   * @param fixedConfigHash {@link ServiceHashes#fixedConfig}: the mounted files its live reload does not cover
   */
  public record Desired(String specHash, String configHash, String imageId, String fixedConfigHash) {}
}
