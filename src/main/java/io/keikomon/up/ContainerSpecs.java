package io.keikomon.up;

import io.keikomon.compose.ComposeModel;

import io.keikomon.engine.ContainerSpec;
import io.keikomon.engine.HealthcheckSpec;
import io.keikomon.engine.Mount;
import io.keikomon.engine.PortBinding;
import io.keikomon.stack.StackLabels;

import io.keikomon.compose.ComposeModel.MountType;
import io.keikomon.compose.ComposeModel.Service;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Turns a service of the compose file into the engine's container spec, the way Compose would create it. */
public final class ContainerSpecs {
  private ContainerSpecs() {}

  /**
   * @param labels the labels to stamp (see {@link StackLabels#container})
   * @param plainMounts drop bind propagation modes (for engines whose root mount is private; see
   *     environment.md: node-exporter's {@code rslave})
   */
  static ContainerSpec of(ComposeModel model, Service s, Map<String, String> labels, boolean plainMounts) {
    ContainerSpec.Builder b = ContainerSpec.builder(s.containerName(), s.image())
        .cmd(s.command().orElse(null))
        .entrypoint(s.entrypoint().orElse(null))
        .env(s.environment())
        .labels(labels)
        .restartPolicy(s.restart())
        .user(s.user().orElse(null))
        .pidMode(s.pid().orElse(null))
        .hardening(s.hardening());
    for (ComposeModel.Mount m : s.mounts()) {
      Mount mount = m.type() == MountType.VOLUME
          ? new Mount(Mount.Type.VOLUME, model.volumeName(m.source()), m.target(), m.readOnly(), null)
          : Mount.bind(m.source(), m.target(), m.readOnly());
      if (!plainMounts && !m.propagation().isEmpty()) {
        mount = mount.withPropagation(m.propagation());
      }
      b.mount(mount);
    }
    s.extraHosts().forEach(b::extraHost);
    s.healthcheck().ifPresent(h -> b.healthcheck(new HealthcheckSpec(h.test(),
        nanos(h.intervalNanos()), nanos(h.timeoutNanos()), nanos(h.startPeriodNanos()), h.retries())));
    if (s.onProjectNetwork()) {
      s.ports().forEach(p -> b.port(new PortBinding(p.hostIp(), p.published(), p.target(), p.protocol())));
      // Compose makes a service reachable by its name (and container name) on the project network.
      b.network(model.defaultNetworkName(), List.of(s.name()));
    } else {
      b.networkMode(s.networkMode().orElseThrow());
    }
    return b.build();
  }

  /** True when the service asks for a bind propagation mode the engine may refuse. */
  static boolean usesPropagation(Service s) {
    return s.mounts().stream().anyMatch(m -> !m.propagation().isEmpty());
  }

  private static Duration nanos(long n) {
    return n == 0 ? null : Duration.ofNanos(n);
  }
}
