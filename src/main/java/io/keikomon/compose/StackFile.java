package io.keikomon.compose;

import io.keikomon.config.YamlLimits;
import io.keikomon.core.OperationFailedException;
import io.keikomon.engine.HealthcheckSpec;
import io.keikomon.engine.SwarmServiceSpec;
import io.keikomon.engine.SwarmServiceSpec.FileRef;
import io.keikomon.engine.SwarmServiceSpec.MountSpec;
import io.keikomon.engine.SwarmServiceSpec.NetworkRef;
import io.keikomon.engine.SwarmServiceSpec.PortSpec;
import io.keikomon.engine.SwarmServiceSpec.Resources;
import io.keikomon.engine.SwarmServiceSpec.RestartPolicy;
import io.keikomon.engine.SwarmServiceSpec.UpdatePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;

/**
 * A swarm-mode stack file read the way {@code docker stack deploy} reads it, into the service specs the Engine API
 * takes: names prefixed with the stack ({@code <stack>_<name>}, unless a volume has its own {@code name:}), every
 * object labelled {@code com.docker.stack.namespace}, each service on its networks with its own name as alias
 * (so {@code tasks.<service>} resolves). It reads the part of the format keiko-mon renders; any other key is
 * refused by name rather than ignored, so what keiko-mon deploys is what the file says.
 *
 * @param configs stack-file key to the file (relative to the stack file's folder), likewise {@code secrets}
 * @param volumes stack-file key to the volume's full name
 */
public record StackFile(String stack, List<SwarmServiceSpec> services, Map<String, String> configs,
    Map<String, String> secrets, List<String> networks, Map<String, String> volumes) {

  /** The label Swarm's own `docker stack` puts on everything of a stack. */
  public static final String NAMESPACE = "com.docker.stack.namespace";
  /** The image as the stack file names it (docker stack deploy sets it too). */
  public static final String IMAGE_LABEL = "com.docker.stack.image";

  private static final Set<String> SERVICE_KEYS = Set.of("image", "entrypoint", "command", "environment", "hostname",
      "configs", "secrets", "volumes", "ports", "networks", "extra_hosts", "healthcheck", "deploy");
  private static final Set<String> DEPLOY_KEYS = Set.of("mode", "replicas", "update_config", "rollback_config",
      "restart_policy", "placement", "resources");

  public StackFile {
    services = List.copyOf(services);
    configs = Map.copyOf(configs);
    secrets = Map.copyOf(secrets);
    networks = List.copyOf(networks);
    volumes = Map.copyOf(volumes);
  }

  public Map<String, String> labels() {
    return Map.of(NAMESPACE, stack);
  }

  /** {@code <stack>_<name>}, as docker stack deploy names what it creates. */
  public String scoped(String name) {
    return stack + "_" + name;
  }

  /** The service called {@code short} in the file ({@code prometheus}), if there is one. */
  public java.util.Optional<SwarmServiceSpec> service(String shortName) {
    return services.stream().filter(s -> s.name().equals(scoped(shortName))).findFirst();
  }

  /** @param env for ${VAR} in the file ($$ is a literal $, as for docker stack deploy) */
  public static StackFile parse(String stack, String label, String text, Map<String, String> env) {
    Object root;
    try {
      root = new Load(YamlLimits.settings(label).build()).loadFromString(text);
    } catch (RuntimeException e) {
      throw new OperationFailedException(label + " is not a readable stack file: " + e.getMessage(),
          "run `keiko-mon render` again");
    }
    return new Reader(stack, label, new Interpolator(env)).read(map(root, label));
  }

  private static final class Reader {
    private final String stack;
    private final String label;
    private final Interpolator vars;
    private final Map<String, String> configs = new LinkedHashMap<>();
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final Map<String, String> volumes = new LinkedHashMap<>();
    private final List<String> networks = new ArrayList<>();

    Reader(String stack, String label, Interpolator vars) {
      this.stack = stack;
      this.label = label;
      this.vars = vars;
    }

    StackFile read(Map<String, Object> root) {
      for (String key : root.keySet()) {
        if (!Set.of("services", "networks", "volumes", "configs", "secrets").contains(key) && !key.startsWith("x-")) {
          throw unsupported("the top-level key `" + key + "`");
        }
      }
      map(root.getOrDefault("networks", Map.of()), "networks").forEach((name, n) -> {
        Map<String, Object> net = n == null ? Map.of() : map(n, "networks." + name);
        if (!"overlay".equals(net.getOrDefault("driver", "overlay"))) {
          throw unsupported("network " + name + " with a driver other than overlay");
        }
        networks.add(name);
      });
      map(root.getOrDefault("volumes", Map.of()), "volumes").forEach((name, v) -> {
        Map<String, Object> vol = v == null ? Map.of() : map(v, "volumes." + name);
        volumes.put(name, vol.containsKey("name") ? str(vol.get("name")) : stack + "_" + name);
      });
      map(root.getOrDefault("configs", Map.of()), "configs").forEach((name, c) ->
          configs.put(name, str(map(c, "configs." + name).get("file"))));
      Object secretsNode = root.get("secrets");
      if (secretsNode != null) {
        map(secretsNode, "secrets").forEach((name, c) -> secrets.put(name, str(map(c, "secrets." + name).get("file"))));
      }
      List<SwarmServiceSpec> services = new ArrayList<>();
      map(root.get("services"), "services").forEach((name, s) -> services.add(service(name, map(s, "services." + name))));
      return new StackFile(stack, services, configs, secrets, networks, volumes);
    }

    private SwarmServiceSpec service(String name, Map<String, Object> s) {
      for (String key : s.keySet()) {
        if (!SERVICE_KEYS.contains(key)) {
          throw unsupported("services." + name + "." + key);
        }
      }
      String image = str(s.get("image"));
      Map<String, String> labels = new LinkedHashMap<>(Map.of(NAMESPACE, stack, IMAGE_LABEL, image));
      List<String> env = new ArrayList<>();
      map(s.getOrDefault("environment", Map.of()), name + ".environment").forEach((k, v) -> env.add(k + "=" + str(v)));
      List<MountSpec> mounts = new ArrayList<>();
      for (Object v : list(s.getOrDefault("volumes", List.of()))) {
        mounts.add(mount(name, v));
      }
      List<FileRef> cfgs = new ArrayList<>();
      for (Object c : list(s.getOrDefault("configs", List.of()))) {
        Map<String, Object> ref = map(c, name + ".configs");
        String source = str(ref.get("source"));
        if (!configs.containsKey(source)) {
          throw new OperationFailedException(label + ": service " + name + " uses config " + source
              + ", which the file does not declare", "run `keiko-mon render` again");
        }
        cfgs.add(new FileRef(null, stack + "_" + source, str(ref.getOrDefault("target", "/" + source))));
      }
      List<FileRef> secs = new ArrayList<>();
      for (Object c : list(s.getOrDefault("secrets", List.of()))) {
        Map<String, Object> ref = map(c, name + ".secrets");
        String source = str(ref.get("source"));
        if (!secrets.containsKey(source)) {
          throw new OperationFailedException(label + ": service " + name + " uses secret " + source
              + ", which the file does not declare", "run `keiko-mon render` again");
        }
        secs.add(new FileRef(null, stack + "_" + source, str(ref.getOrDefault("target", source))));
      }
      List<NetworkRef> nets = new ArrayList<>();
      for (Object n : list(s.getOrDefault("networks", List.of()))) {
        nets.add(new NetworkRef(stack + "_" + str(n), List.of(name)));
      }
      List<PortSpec> ports = new ArrayList<>();
      for (Object p : list(s.getOrDefault("ports", List.of()))) {
        Map<String, Object> port = map(p, name + ".ports");
        ports.add(new PortSpec(integer(port.get("target")), integer(port.get("published")),
            str(port.getOrDefault("protocol", "tcp")), str(port.getOrDefault("mode", "ingress"))));
      }
      List<String> hosts = new ArrayList<>();
      for (Object h : list(s.getOrDefault("extra_hosts", List.of()))) {
        String entry = str(h);
        int colon = entry.indexOf(':');
        hosts.add(entry.substring(colon + 1) + " " + entry.substring(0, colon)); // "IP host", as Swarm keeps them
      }
      Map<String, Object> deploy = s.containsKey("deploy") ? map(s.get("deploy"), name + ".deploy") : Map.of();
      for (String key : deploy.keySet()) {
        if (!DEPLOY_KEYS.contains(key)) {
          throw unsupported("services." + name + ".deploy." + key);
        }
      }
      Integer replicas = "global".equals(deploy.get("mode")) ? null
          : deploy.containsKey("replicas") ? integer(deploy.get("replicas")) : 1;
      List<String> constraints = new ArrayList<>();
      if (deploy.containsKey("placement")) {
        Map<String, Object> placement = map(deploy.get("placement"), name + ".deploy.placement");
        for (String key : placement.keySet()) {
          if (!key.equals("constraints")) {
            throw unsupported("services." + name + ".deploy.placement." + key);
          }
        }
        list(placement.getOrDefault("constraints", List.of())).forEach(c -> constraints.add(str(c)));
      }
      return new SwarmServiceSpec(stack + "_" + name, labels, image, strings(s.get("entrypoint")),
          strings(s.get("command")), env, s.containsKey("hostname") ? str(s.get("hostname")) : null, mounts, cfgs,
          secs, nets, ports, replicas, update(deploy.get("update_config")), update(deploy.get("rollback_config")),
          restart(deploy.get("restart_policy")), resources(name, deploy.get("resources")),
          healthcheck(s.get("healthcheck")), hosts, constraints);
    }

    private MountSpec mount(String service, Object v) {
      Map<String, String> labels = Map.of(NAMESPACE, stack);
      if (v instanceof String shortForm) {
        String[] parts = str(shortForm).split(":");
        return volumeOrBind(service, parts[0], parts[1], parts.length > 2 && parts[2].contains("ro"), labels);
      }
      Map<String, Object> m = map(v, service + ".volumes");
      String type = str(m.getOrDefault("type", "volume"));
      if ("bind".equals(type)) {
        return new MountSpec("bind", str(m.get("source")), str(m.get("target")), Boolean.TRUE.equals(m.get("read_only")),
            Map.of());
      }
      return volumeOrBind(service, str(m.get("source")), str(m.get("target")), Boolean.TRUE.equals(m.get("read_only")),
          labels);
    }

    private MountSpec volumeOrBind(String service, String source, String target, boolean readOnly,
        Map<String, String> labels) {
      if (source.startsWith("/") || source.startsWith(".")) {
        return new MountSpec("bind", source, target, readOnly, Map.of());
      }
      String full = volumes.get(source);
      if (full == null) {
        throw new OperationFailedException(label + ": service " + service + " uses volume " + source
            + ", which the file does not declare", "run `keiko-mon render` again");
      }
      return new MountSpec("volume", full, target, readOnly, labels);
    }

    private UpdatePolicy update(Object node) {
      if (node == null) {
        return null;
      }
      Map<String, Object> u = map(node, "update_config");
      return new UpdatePolicy(u.containsKey("parallelism") ? integer(u.get("parallelism")) : 1,
          str(u.getOrDefault("order", "stop-first")), duration(u.get("delay")),
          u.containsKey("failure_action") ? str(u.get("failure_action")) : null, duration(u.get("monitor")));
    }

    private RestartPolicy restart(Object node) {
      if (node == null) {
        return null;
      }
      Map<String, Object> r = map(node, "restart_policy");
      return new RestartPolicy(str(r.getOrDefault("condition", "any")), duration(r.get("delay")),
          r.containsKey("max_attempts") ? integer(r.get("max_attempts")) : 0);
    }

    private Resources resources(String service, Object node) {
      if (node == null) {
        return null;
      }
      Map<String, Object> r = map(node, service + ".deploy.resources");
      Map<String, Object> limits = r.containsKey("limits") ? map(r.get("limits"), "limits") : Map.of();
      Map<String, Object> reservations = r.containsKey("reservations") ? map(r.get("reservations"), "reservations")
          : Map.of();
      long cpus = limits.containsKey("cpus") ? Math.round(Double.parseDouble(str(limits.get("cpus"))) * 1e9) : 0;
      return new Resources(bytes(limits.get("memory")), bytes(reservations.get("memory")), cpus);
    }

    private HealthcheckSpec healthcheck(Object node) {
      if (node == null) {
        return null;
      }
      Map<String, Object> h = map(node, "healthcheck");
      return new HealthcheckSpec(strings(h.get("test")), duration(h.get("interval")), duration(h.get("timeout")),
          duration(h.get("start_period")), h.containsKey("retries") ? integer(h.get("retries")) : 0);
    }

    private Duration duration(Object v) {
      if (v == null) {
        return null;
      }
      OptionalLong nanos = GoDuration.parseNanos(str(v));
      if (nanos.isEmpty()) {
        throw new OperationFailedException(label + ": \"" + v + "\" is not a duration", "e.g. 10s or 1m30s");
      }
      return Duration.ofNanos(nanos.getAsLong());
    }

    /** Compose's byte notation: 512m, 2g, 64k, or a plain number of bytes. */
    private long bytes(Object v) {
      if (v == null) {
        return 0;
      }
      String s = str(v).toLowerCase(Locale.ROOT).replaceFirst("b$", "");
      long unit = switch (s.isEmpty() ? ' ' : s.charAt(s.length() - 1)) {
        case 'k' -> 1L << 10;
        case 'm' -> 1L << 20;
        case 'g' -> 1L << 30;
        default -> 1;
      };
      return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }

    private List<String> strings(Object v) {
      if (v == null) {
        return null;
      }
      if (v instanceof String s) {
        return ShellWords.split(str(s));
      }
      return list(v).stream().map(this::str).toList();
    }

    private String str(Object v) {
      try {
        return v == null ? "" : vars.expand(String.valueOf(v));
      } catch (IllegalArgumentException e) {
        throw new OperationFailedException(label + ": " + e.getMessage(), "set the variable or quote the $ as $$");
      }
    }

    private int integer(Object v) {
      if (v instanceof Number n) {
        return n.intValue();
      }
      try {
        return Integer.parseInt(str(v));
      } catch (NumberFormatException e) {
        throw new OperationFailedException(label + ": \"" + v + "\" is not a number", null);
      }
    }

    private List<Object> list(Object v) {
      if (v instanceof List<?> l) {
        return new ArrayList<>(l);
      }
      throw new OperationFailedException(label + ": expected a list, got " + v, "run `keiko-mon render` again");
    }

    private OperationFailedException unsupported(String what) {
      return new OperationFailedException(label + " uses " + what + ", which keiko-mon's swarm deployer does not"
          + " handle, so it would not deploy what the file says",
          "remove it from your template override, or deploy this file with `docker stack deploy -c " + label + " "
              + stack + "`");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object v, String where) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, val) -> out.put(String.valueOf(k), val));
      return out;
    }
    throw new OperationFailedException(where + ": expected a mapping, got " + v, "run `keiko-mon render` again");
  }
}
