package io.keikomon.engine.dockerjava;

import io.keikomon.engine.ContainerSpec;
import io.keikomon.engine.HealthcheckSpec;
import io.keikomon.engine.Mount;
import io.keikomon.engine.PortBinding;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PropagationMode;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.SELContext;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.LogConfig;
import io.keikomon.engine.Hardening;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/** Translates a {@link ContainerSpec} into docker-java's create-container command. */
public final class ContainerCreation {
  private ContainerCreation() {}

  static CreateContainerCmd command(DockerClient requests, ContainerSpec spec) {
    HostConfig host = HostConfig.newHostConfig();
    List<Bind> binds = new ArrayList<>();
    for (Mount m : spec.mounts()) {
      PropagationMode propagation = m.propagation() == null ? PropagationMode.DEFAULT_MODE
          : PropagationMode.fromString(m.propagation());
      binds.add(new Bind(m.source(), new Volume(m.target()), m.readOnly() ? AccessMode.ro : AccessMode.rw,
          SELContext.DEFAULT, null, propagation));
    }
    host.withBinds(binds);
    List<ExposedPort> exposed = new ArrayList<>();
    Ports ports = new Ports();
    for (PortBinding p : spec.ports()) {
      ExposedPort port = new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol()));
      exposed.add(port);
      ports.bind(port, p.hostIp() == null || p.hostIp().isEmpty()
          ? Ports.Binding.bindPort(p.hostPort())
          : Ports.Binding.bindIpAndPort(p.hostIp(), p.hostPort()));
    }
    host.withPortBindings(ports);
    if (!spec.extraHosts().isEmpty()) {
      host.withExtraHosts(spec.extraHosts().toArray(String[]::new));
    }
    if (spec.networkMode() != null) {
      host.withNetworkMode(spec.networkMode());
    } else if (!spec.networks().isEmpty()) {
      host.withNetworkMode(spec.networks().get(0).network());
    }
    if (spec.restartPolicy() != null) {
      host.withRestartPolicy(RestartPolicy.parse(spec.restartPolicy()));
    }
    if (spec.pidMode() != null) {
      host.withPidMode(spec.pidMode());
    }
    harden(host, spec.hardening());
    CreateContainerCmd cmd = requests.createContainerCmd(spec.image())
        .withName(spec.name())
        .withLabels(spec.labels())
        .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
        .withExposedPorts(exposed)
        .withHostConfig(host);
    if (spec.cmd() != null) {
      cmd.withCmd(spec.cmd());
    }
    if (spec.entrypoint() != null) {
      cmd.withEntrypoint(spec.entrypoint());
    }
    if (spec.user() != null) {
      cmd.withUser(spec.user());
    }
    if (spec.workingDir() != null) {
      cmd.withWorkingDir(spec.workingDir());
    }
    if (spec.networkMode() == null && !spec.networks().isEmpty() && !spec.networks().get(0).aliases().isEmpty()) {
      // docker-java puts these into the EndpointsConfig of the network named by NetworkMode.
      cmd.withAliases(spec.networks().get(0).aliases());
    }
    if (spec.healthcheck() != null) {
      cmd.withHealthcheck(healthcheck(spec.healthcheck()));
    }
    return cmd;
  }

  private static void harden(HostConfig host, Hardening h) {
    if (!h.securityOpt().isEmpty()) {
      host.withSecurityOpts(h.securityOpt());
    }
    if (!h.capAdd().isEmpty()) {
      host.withCapAdd(h.capAdd().stream().map(Capability::valueOf).toArray(Capability[]::new));
    }
    if (!h.capDrop().isEmpty()) {
      host.withCapDrop(h.capDrop().stream().map(Capability::valueOf).toArray(Capability[]::new));
    }
    if (h.readOnlyRootfs()) {
      host.withReadonlyRootfs(true);
    }
    if (!h.tmpfs().isEmpty()) {
      Map<String, String> tmpfs = new LinkedHashMap<>();
      for (String t : h.tmpfs()) {
        int colon = t.indexOf(':');
        tmpfs.put(colon < 0 ? t : t.substring(0, colon), colon < 0 ? "" : t.substring(colon + 1));
      }
      host.withTmpFs(tmpfs);
    }
    if (h.memoryBytes() > 0) {
      host.withMemory(h.memoryBytes());
    }
    if (h.logDriver() != null) {
      host.withLogConfig(new LogConfig(LogConfig.LoggingType.fromValue(h.logDriver()), h.logOptions()));
    }
  }

  /** The engine wants nanoseconds; null leaves the engine default. */
  static HealthCheck healthcheck(HealthcheckSpec spec) {
    HealthCheck hc = new HealthCheck().withTest(spec.test());
    if (spec.interval() != null) {
      hc.withInterval(spec.interval().toNanos());
    }
    if (spec.timeout() != null) {
      hc.withTimeout(spec.timeout().toNanos());
    }
    if (spec.startPeriod() != null) {
      hc.withStartPeriod(spec.startPeriod().toNanos());
    }
    if (spec.retries() > 0) {
      hc.withRetries(spec.retries());
    }
    return hc;
  }
}
