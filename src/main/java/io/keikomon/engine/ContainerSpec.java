package io.keikomon.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to create a container. Build one with {@link #builder(String, String)}.
 *
 * @param cmd null keeps the image's CMD
 * @param entrypoint null keeps the image's ENTRYPOINT
 * @param env in order, as NAME=value
 * @param extraHosts {@code host:ip} entries, e.g. {@code host.docker.internal:host-gateway}
 * @param healthcheck null keeps the image's HEALTHCHECK
 * @param networks the first is joined at creation, the rest right after; empty with {@code networkMode} null
 *     means the default bridge
 * @param networkMode {@code host}, {@code none} or null (join {@code networks})
 * @param restartPolicy no, always, unless-stopped or on-failure; null = no
 * @param user null keeps the image's USER
 * @param pidMode {@code host} or null
 * @param workingDir null keeps the image's WORKDIR
 * @param hardening privileges, capabilities, read-only root, memory and log limits ({@link Hardening#NONE}: the
 *     engine's defaults)
 */
public record ContainerSpec(
    String name,
    String image,
    List<String> cmd,
    List<String> entrypoint,
    Map<String, String> env,
    Map<String, String> labels,
    List<Mount> mounts,
    List<PortBinding> ports,
    List<String> extraHosts,
    HealthcheckSpec healthcheck,
    List<NetworkAttachment> networks,
    String networkMode,
    String restartPolicy,
    String user,
    String pidMode,
    String workingDir,
    Hardening hardening) {

  public ContainerSpec {
    cmd = cmd == null ? null : List.copyOf(cmd);
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    labels = Map.copyOf(labels);
    mounts = List.copyOf(mounts);
    ports = List.copyOf(ports);
    extraHosts = List.copyOf(extraHosts);
    networks = List.copyOf(networks);
    hardening = hardening == null ? Hardening.NONE : hardening;
  }

  public static Builder builder(String name, String image) {
    return new Builder(name, image);
  }

  /** Collects a spec step by step; lists and maps accumulate. */
  public static final class Builder {
    private final String name;
    private final String image;
    private List<String> cmd;
    private List<String> entrypoint;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<Mount> mounts = new ArrayList<>();
    private final List<PortBinding> ports = new ArrayList<>();
    private final List<String> extraHosts = new ArrayList<>();
    private HealthcheckSpec healthcheck;
    private final List<NetworkAttachment> networks = new ArrayList<>();
    private String networkMode;
    private String restartPolicy;
    private String user;
    private Hardening hardening = Hardening.NONE;
    private String pidMode;
    private String workingDir;

    private Builder(String name, String image) {
      this.name = name;
      this.image = image;
    }

    public Builder cmd(List<String> value) {
      cmd = value;
      return this;
    }

    public Builder entrypoint(List<String> value) {
      entrypoint = value;
      return this;
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    public Builder env(Map<String, String> values) {
      env.putAll(values);
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public Builder labels(Map<String, String> values) {
      labels.putAll(values);
      return this;
    }

    public Builder mount(Mount mount) {
      mounts.add(mount);
      return this;
    }

    public Builder port(PortBinding port) {
      ports.add(port);
      return this;
    }

    public Builder extraHost(String hostColonIp) {
      extraHosts.add(hostColonIp);
      return this;
    }

    public Builder healthcheck(HealthcheckSpec value) {
      healthcheck = value;
      return this;
    }

    public Builder network(String network, List<String> aliases) {
      networks.add(new NetworkAttachment(network, aliases));
      return this;
    }

    public Builder networkMode(String value) {
      networkMode = value;
      return this;
    }

    public Builder restartPolicy(String value) {
      restartPolicy = value;
      return this;
    }

    public Builder hardening(Hardening value) {
      hardening = value;
      return this;
    }

    public Builder user(String value) {
      user = value;
      return this;
    }

    public Builder pidMode(String value) {
      pidMode = value;
      return this;
    }

    public Builder workingDir(String value) {
      workingDir = value;
      return this;
    }

    public ContainerSpec build() {
      return new ContainerSpec(name, image, cmd, entrypoint, env, labels, mounts, ports, extraHosts,
          healthcheck, networks, networkMode, restartPolicy, user, pidMode, workingDir, hardening);
    }
  }
}
