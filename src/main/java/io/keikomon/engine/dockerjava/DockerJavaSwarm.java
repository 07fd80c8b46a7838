package io.keikomon.engine.dockerjava;

import static io.keikomon.engine.dockerjava.DockerJavaRecords.nullToEmpty;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.LogSwarmObjectCmd;
import com.github.dockerjava.api.model.ContainerSpecConfig;
import com.github.dockerjava.api.model.ContainerSpecFile;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.SecretSpec;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceGlobalModeOptions;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import com.github.dockerjava.api.model.VolumeOptions;
import io.keikomon.engine.HealthcheckSpec;
import io.keikomon.engine.LogListener;
import io.keikomon.engine.LogRequest;
import io.keikomon.engine.Subscription;
import io.keikomon.engine.DockerOperationException;
import io.keikomon.engine.SwarmGateway;
import io.keikomon.engine.SwarmServiceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** {@link SwarmGateway} on docker-java: the service, task, config and secret calls of the Engine API. */
final class DockerJavaSwarm implements SwarmGateway {
  private final EngineCalls calls;
  private final DockerClient requests;
  private final DockerClient streams;

  DockerJavaSwarm(EngineCalls calls, DockerClient requests, DockerClient streams) {
    this.calls = calls;
    this.requests = requests;
    this.streams = streams;
  }

  @Override
  public SwarmInfo swarmInfo() {
    return calls.call("ask the engine for its swarm state", () -> {
      com.github.dockerjava.api.model.SwarmInfo s = requests.infoCmd().exec().getSwarm();
      if (s == null) {
        return new SwarmInfo("inactive", false, "", "");
      }
      String state = s.getLocalNodeState() == null ? "inactive" : s.getLocalNodeState().name().toLowerCase(Locale.ROOT);
      return new SwarmInfo(state, Boolean.TRUE.equals(s.getControlAvailable()), nullToEmpty(s.getNodeID()),
          nullToEmpty(s.getNodeAddr()));
    });
  }

  @Override
  public void initSwarm(String advertiseAddress) {
    calls.call("initialise a swarm", () -> requests.initializeSwarmCmd(new SwarmSpec())
        .withAdvertiseAddr(advertiseAddress).withListenAddr("0.0.0.0:2377").exec());
  }

  @Override
  public Map<String, String> nodeNames() {
    return calls.call("list swarm nodes", () -> {
      Map<String, String> names = new TreeMap<>();
      requests.listSwarmNodesCmd().exec().forEach(n -> names.put(n.getId(),
          n.getDescription() == null ? n.getId() : n.getDescription().getHostname()));
      return names;
    });
  }

  @Override
  public List<SwarmService> listServices(Map<String, String> labels) {
    return calls.call("list services", () -> requests.listServicesCmd().withLabelFilter(labels).exec().stream()
        .map(DockerJavaSwarm::service).toList());
  }

  private static SwarmService service(Service s) {
    ServiceSpec spec = s.getSpec();
    Integer replicas = null;
    if (spec.getMode() != null && spec.getMode().getReplicated() != null) {
      replicas = (int) spec.getMode().getReplicated().getReplicas();
    }
    String state = "";
    String message = "";
    if (s.getUpdateStatus() != null) {
      state = s.getUpdateStatus().getState() == null ? "" : s.getUpdateStatus().getState().name().toLowerCase(Locale.ROOT);
      message = nullToEmpty(s.getUpdateStatus().getMessage());
    }
    return new SwarmService(s.getId(), spec.getName(), s.getVersion().getIndex(),
        spec.getLabels() == null ? Map.of() : spec.getLabels(), replicas, state, message);
  }

  @Override
  public String createService(SwarmServiceSpec spec) {
    return calls.call("create service " + spec.name(), () -> requests.createServiceCmd(toSpec(spec)).exec().getId());
  }

  @Override
  public void updateService(String id, long version, SwarmServiceSpec spec) {
    calls.call("update service " + spec.name(), () -> {
      requests.updateServiceCmd(id, toSpec(spec)).withVersion(version).exec();
      return null;
    });
  }

  @Override
  public void removeService(String id) {
    calls.quietlyIfGone("remove service " + id, () -> requests.removeServiceCmd(id).exec());
  }

  @Override
  public List<SwarmTask> listTasks(String serviceId) {
    return calls.call("list the tasks of service " + serviceId, () -> requests.listTasksCmd()
        .withServiceFilter(serviceId).exec().stream().map(DockerJavaSwarm::task).toList());
  }

  private static SwarmTask task(Task t) {
    String state = "";
    String message = "";
    String error = "";
    String container = "";
    Instant since = null;
    if (t.getStatus() != null) {
      state = t.getStatus().getState() == null ? "" : t.getStatus().getState().getValue();
      message = nullToEmpty(t.getStatus().getMessage());
      error = nullToEmpty(t.getStatus().getErr());
      if (t.getStatus().getContainerStatus() != null) {
        container = nullToEmpty(t.getStatus().getContainerStatus().getContainerID());
      }
      since = instant(t.getStatus().getTimestamp());
    }
    String desired = t.getDesiredState() == null ? "" : t.getDesiredState().getValue();
    return new SwarmTask(t.getId(), t.getServiceId(), t.getSlot() == null ? 0 : t.getSlot(), nullToEmpty(t.getNodeId()),
        state, desired, container, message, error, since);
  }

  private static Instant instant(String timestamp) {
    try {
      return timestamp == null ? null : Instant.parse(timestamp);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  @Override
  public List<SwarmObject> listConfigs(Map<String, String> labels) {
    return calls.call("list configs", () -> requests.listConfigsCmd().withFilters(labelFilter(labels)).exec().stream()
        // docker-java's ConfigSpec has no labels: the engine filtered by them, so they are the ones asked for
        .map(c -> new SwarmObject(c.getId(), c.getSpec().getName(), labels))
        .toList());
  }

  @Override
  public String createConfig(String name, Map<String, String> labels, byte[] data) {
    return calls.call("create config " + name,
        () -> requests.createConfigCmd().withName(name).withLabels(labels).withData(data).exec().getId());
  }

  @Override
  public void removeConfig(String id) {
    calls.quietlyIfGone("remove config " + id, () -> requests.removeConfigCmd(id).exec());
  }

  @Override
  public List<SwarmObject> listSecrets(Map<String, String> labels) {
    return calls.call("list secrets", () -> requests.listSecretsCmd().withLabelFilter(labels).exec().stream()
        .map(s -> new SwarmObject(s.getId(), s.getSpec().getName(),
            s.getSpec().getLabels() == null ? Map.of() : s.getSpec().getLabels()))
        .toList());
  }

  @Override
  public String createSecret(String name, Map<String, String> labels, byte[] data) {
    // docker-java's SecretSpec.withData base64-encodes the string's bytes in the JVM's default charset itself
    // (encoding here as well gave every task the base64 text instead of the secret), so the bytes go in as a
    // string of that charset, and a secret that charset cannot carry is refused rather than altered.
    Charset charset = Charset.defaultCharset();
    String text = new String(data, charset);
    if (!Arrays.equals(text.getBytes(charset), data)) {
      throw new DockerOperationException(DockerOperationException.Kind.OTHER, "secret " + name + " has bytes the"
          + " JVM's default charset (" + charset + ") cannot pass to docker-java unchanged",
          "run keiko-mon with a UTF-8 locale (LC_ALL=C.UTF-8) or -Dfile.encoding=UTF-8", null);
    }
    return calls.call("create secret " + name, () -> requests.createSecretCmd(new SecretSpec().withName(name)
        .withLabels(labels).withData(text)).exec().getId());
  }

  @Override
  public void removeSecret(String id) {
    calls.quietlyIfGone("remove secret " + id, () -> requests.removeSecretCmd(id).exec());
  }

  @Override
  public Subscription serviceLogs(String id, LogRequest request, LogListener listener) {
    ResultCallback.Adapter<Frame> callback = DockerJavaLogs.frameLines(listener);
    LogSwarmObjectCmd cmd = streams.logServiceCmd(id).withStdout(true).withStderr(true).withFollow(request.follow());
    if (request.tail() >= 0) {
      cmd.withTail(request.tail());
    }
    if (request.since() != null) {
      cmd.withSince((int) request.since().getEpochSecond());
    }
    return new CallbackSubscription(calls.call("read the log of service " + id,
        () -> cmd.exec(callback)));
  }

  // --- the spec, in docker-java's model

  static ServiceSpec toSpec(SwarmServiceSpec s) {
    com.github.dockerjava.api.model.ContainerSpec c = new com.github.dockerjava.api.model.ContainerSpec()
        .withImage(s.image()).withLabels(s.labels()).withEnv(s.env()).withHosts(s.hosts());
    if (s.entrypoint() != null) {
      c.withCommand(s.entrypoint());
    }
    if (s.args() != null) {
      c.withArgs(s.args());
    }
    if (s.hostname() != null) {
      c.withHostname(s.hostname());
    }
    List<Mount> mounts = new ArrayList<>();
    for (SwarmServiceSpec.MountSpec m : s.mounts()) {
      Mount mount = new Mount().withType("bind".equals(m.type()) ? MountType.BIND : MountType.VOLUME)
          .withSource(m.source()).withTarget(m.target()).withReadOnly(m.readOnly());
      if (!"bind".equals(m.type())) {
        mount.withVolumeOptions(new VolumeOptions().withLabels(m.volumeLabels()));
      }
      mounts.add(mount);
    }
    c.withMounts(mounts);
    c.withConfigs(s.configs().stream().map(f -> new ContainerSpecConfig().withConfigID(f.id()).withConfigName(f.name())
        .withFile(file(f.target()))).toList());
    c.withSecrets(s.secrets().stream().map(f -> new ContainerSpecSecret().withSecretId(f.id()).withSecretName(f.name())
        .withFile(file(f.target()))).toList());
    if (s.healthcheck() != null) {
      HealthcheckSpec h = s.healthcheck();
      c.withHealthCheck(new HealthCheck().withTest(h.test()).withInterval(nanos(h.interval()))
          .withTimeout(nanos(h.timeout())).withStartPeriod(nanos(h.startPeriod()))
          .withRetries(h.retries() == 0 ? null : h.retries()));
    }
    TaskSpec task = new TaskSpec().withContainerSpec(c)
        .withNetworks(s.networks().stream().map(n -> new NetworkAttachmentConfig().withTarget(n.network())
            .withAliases(n.aliases())).toList())
        .withPlacement(new ServicePlacement().withConstraints(s.constraints()));
    if (s.restart() != null) {
      task.withRestartPolicy(new ServiceRestartPolicy()
          .withCondition(ServiceRestartCondition.valueOf(s.restart().condition().toUpperCase(Locale.ROOT).replace('-', '_')))
          .withDelay(nanos(s.restart().delay())).withMaxAttempts((long) s.restart().maxAttempts()));
    }
    if (s.resources() != null) {
      ResourceSpecs limits = new ResourceSpecs();
      if (s.resources().memoryLimit() > 0) {
        limits.withMemoryBytes(s.resources().memoryLimit());
      }
      if (s.resources().nanoCpusLimit() > 0) {
        limits.withNanoCPUs(s.resources().nanoCpusLimit());
      }
      ResourceSpecs reservations = new ResourceSpecs();
      if (s.resources().memoryReservation() > 0) {
        reservations.withMemoryBytes(s.resources().memoryReservation());
      }
      task.withResources(new ResourceRequirements().withLimits(limits).withReservations(reservations));
    }
    ServiceModeConfig mode = s.replicas() == null ? new ServiceModeConfig().withGlobal(new ServiceGlobalModeOptions())
        : new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(s.replicas()));
    ServiceSpec spec = new ServiceSpec().withName(s.name()).withLabels(s.labels()).withTaskTemplate(task).withMode(mode)
        .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.VIP).withPorts(s.ports().stream()
            .map(p -> new PortConfig().withTargetPort(p.target()).withPublishedPort(p.published())
                .withProtocol(PortConfigProtocol.valueOf(p.protocol().toUpperCase(Locale.ROOT)))
                .withPublishMode("host".equals(p.mode()) ? PortConfig.PublishMode.host : PortConfig.PublishMode.ingress))
            .toList()));
    if (s.update() != null) {
      spec.withUpdateConfig(update(s.update()));
    }
    if (s.rollback() != null) {
      spec.withRollbackConfig(update(s.rollback()));
    }
    return spec;
  }

  private static UpdateConfig update(SwarmServiceSpec.UpdatePolicy u) {
    UpdateConfig c = new UpdateConfig().withParallelism((long) u.parallelism())
        .withOrder("start-first".equals(u.order()) ? UpdateOrder.START_FIRST : UpdateOrder.STOP_FIRST)
        .withDelay(nanos(u.delay())).withMonitor(nanos(u.monitor()));
    if (u.failureAction() != null) {
      c.withFailureAction(UpdateFailureAction.valueOf(u.failureAction().toUpperCase(Locale.ROOT)));
    }
    return c;
  }

  /** Files of configs and secrets: world-readable, owned by root, as `docker stack deploy` makes them. */
  private static ContainerSpecFile file(String target) {
    return new ContainerSpecFile().withName(target).withUid("0").withGid("0").withMode(0444L);
  }

  private static Long nanos(Duration d) {
    return d == null ? null : d.toNanos();
  }

  private static Map<String, List<String>> labelFilter(Map<String, String> labels) {
    return Map.of("label", DockerJavaRecords.labelFilters(labels));
  }
}
