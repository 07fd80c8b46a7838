package io.keikomon.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Swarm service to create or update, in plain values (what a stack file's service says after loading).
 *
 * @param replicas null for a global service (one task per node)
 * @param entrypoint null to keep the image's; {@code args} likewise
 * @param env {@code KEY=value}, Swarm templates ({@code {{.Task.Slot}}}) left for Swarm to expand
 * @param hosts extra {@code /etc/hosts} lines as {@code "IP host"} ({@code host-gateway} works as the IP)
 */
public record SwarmServiceSpec(
    String name,
    Map<String, String> labels,
    String image,
    List<String> entrypoint,
    List<String> args,
    List<String> env,
    String hostname,
    List<MountSpec> mounts,
    List<FileRef> configs,
    List<FileRef> secrets,
    List<NetworkRef> networks,
    List<PortSpec> ports,
    Integer replicas,
    UpdatePolicy update,
    UpdatePolicy rollback,
    RestartPolicy restart,
    Resources resources,
    HealthcheckSpec healthcheck,
    List<String> hosts,
    List<String> constraints) {

  public SwarmServiceSpec {
    labels = sorted(labels);
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    args = args == null ? null : List.copyOf(args);
    env = List.copyOf(env);
    mounts = List.copyOf(mounts);
    configs = List.copyOf(configs);
    secrets = List.copyOf(secrets);
    networks = List.copyOf(networks);
    ports = List.copyOf(ports);
    hosts = List.copyOf(hosts);
    constraints = List.copyOf(constraints);
  }

  /** The same service with another replica count (keiko-mon starts Grafana with one, then scales). */
  public SwarmServiceSpec withReplicas(Integer n) {
    return new SwarmServiceSpec(name, labels, image, entrypoint, args, env, hostname, mounts, configs, secrets, networks,
        ports, n, update, rollback, restart, resources, healthcheck, hosts, constraints);
  }

  /** The same service with more labels (e.g. the hash keiko-mon compares). */
  public SwarmServiceSpec withLabels(Map<String, String> more) {
    Map<String, String> all = new java.util.TreeMap<>(labels);
    all.putAll(more);
    return new SwarmServiceSpec(name, all, image, entrypoint, args, env, hostname, mounts, configs, secrets, networks,
        ports, replicas, update, rollback, restart, resources, healthcheck, hosts, constraints);
  }

  /** In key order, so {@link #toString()} (and a hash of it) is the same in every run. */
  private static Map<String, String> sorted(Map<String, String> m) {
    return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(m));
  }

  /** A volume or bind mount; {@code volumeLabels} go on a volume Swarm creates for it. */
  public record MountSpec(String type, String source, String target, boolean readOnly, Map<String, String> volumeLabels) {
    public MountSpec {
      volumeLabels = sorted(volumeLabels);
    }
  }

  /** A config or secret by name (and id, resolved before the call), seen by the task at {@code target}. */
  public record FileRef(String id, String name, String target) {}

  /** A network (name or id) with the aliases the task has on it. */
  public record NetworkRef(String network, List<String> aliases) {
    public NetworkRef {
      aliases = List.copyOf(aliases);
    }
  }

  /** A published port: {@code mode} ingress (routing mesh) or host. */
  public record PortSpec(int target, int published, String protocol, String mode) {}

  /** {@code order} start-first or stop-first; {@code failureAction} pause, continue or rollback. */
  public record UpdatePolicy(int parallelism, String order, Duration delay, String failureAction, Duration monitor) {}

  /** {@code condition} none, on-failure or any; {@code maxAttempts} 0 for unlimited. */
  public record RestartPolicy(String condition, Duration delay, int maxAttempts) {}

  /** Bytes and NanoCPUs; 0 for none. */
  public record Resources(long memoryLimit, long memoryReservation, long nanoCpusLimit) {}
}
