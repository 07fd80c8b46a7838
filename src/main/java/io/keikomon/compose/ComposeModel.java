package io.keikomon.compose;

import io.keikomon.engine.Hardening;
import io.keikomon.engine.Health;
import io.keikomon.engine.Mount;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rendered docker-compose.monitoring.yml as keiko-mon understands it: only what it can honour.
 * {@link ComposeParser} reports everything else. Bind-mount and secret sources are absolute paths;
 * durations are nanoseconds (what the Engine API takes).
 */
public record ComposeModel(
    Path file,
    String project,
    Map<String, Service> services,
    Map<String, Volume> volumes,
    Map<String, Network> networks) {

  public ComposeModel {
    services = sorted(services);
    volumes = sorted(volumes);
    networks = sorted(networks);
  }

  /** Deterministic iteration order (hashes and plans are built by iterating these maps). */
  static <V> Map<String, V> sorted(Map<String, V> m) {
    return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(m));
  }

  /** The folder the compose file is in; relative paths in it are resolved from here. */
  public Path workingDir() {
    return file.getParent();
  }

  public Service service(String name) {
    return services.get(name);
  }

  /** The one network services attach to: {@code <project>_default} unless the file names it. */
  public String defaultNetworkName() {
    Network n = networks.get("default");
    return n != null && n.name() != null ? n.name() : project + "_default";
  }

  /** Engine name of a top-level volume key. */
  public String volumeName(String key) {
    Volume v = volumes.get(key);
    return v != null && v.name() != null ? v.name() : project + "_" + key;
  }

  public record Service(
      String name,
      String image,
      Optional<List<String>> command,
      Optional<List<String>> entrypoint,
      Map<String, String> environment,
      List<Port> ports,
      List<Mount> mounts,
      Optional<Health> healthcheck,
      Map<String, Dependency> dependsOn,
      List<String> extraHosts,
      String restart,
      String containerName,
      Optional<String> networkMode,
      Optional<String> pid,
      Map<String, String> labels,
      Optional<String> user,
      Hardening hardening) {

    public Service {
      environment = sorted(environment);
      ports = List.copyOf(ports);
      mounts = List.copyOf(mounts);
      dependsOn = sorted(dependsOn);
      extraHosts = List.copyOf(extraHosts);
      labels = sorted(labels);
      hardening = hardening == null ? Hardening.NONE : hardening;
    }

    /** True when the container joins the project network (not host/none/another container's). */
    public boolean onProjectNetwork() {
      return networkMode.isEmpty();
    }
  }

  /** {@code hostIp} is empty for "all interfaces"; {@code published} 0 means "any free port". */
  public record Port(String hostIp, int published, int target, String protocol) {
    @Override
    public String toString() {
      return (hostIp.isEmpty() ? "" : hostIp + ":") + (published == 0 ? "" : published + ":") + target + "/" + protocol;
    }
  }

  public enum MountType { BIND, VOLUME }

  /**
   * A bind mount (source = absolute host path) or a named volume (source = top-level volume key).
   * {@code propagation} is empty or one of rprivate, private, rshared, shared, rslave, slave.
   */
  public record Mount(MountType type, String source, String target, boolean readOnly, String propagation) {}

  /** test is the Engine's form: ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]. */
  public record Health(List<String> test, long intervalNanos, long timeoutNanos, long startPeriodNanos, int retries) {
    public Health {
      test = List.copyOf(test);
    }

    public boolean disabled() {
      return !test.isEmpty() && test.get(0).equals("NONE");
    }
  }

  public enum Condition {
    SERVICE_STARTED, SERVICE_HEALTHY, SERVICE_COMPLETED_SUCCESSFULLY;

    public String composeName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public record Dependency(Condition condition, boolean restart, boolean required) {}

  /** A top-level volume; {@code name} is null when Compose scoping applies. */
  public record Volume(String key, String name, boolean external, String driver, Map<String, String> labels) {
    public Volume {
      labels = sorted(labels);
    }
  }

  public record Network(String key, String name, boolean external, String driver) {}
}
