package io.keikomon.docker;

import io.keikomon.config.ConfigException;
import io.keikomon.config.Problem;
import io.keikomon.docker.ComposeModel.Condition;
import io.keikomon.docker.ComposeModel.Dependency;
import io.keikomon.docker.ComposeModel.Health;
import io.keikomon.docker.ComposeModel.Mount;
import io.keikomon.docker.ComposeModel.MountType;
import io.keikomon.docker.ComposeModel.Network;
import io.keikomon.docker.ComposeModel.Port;
import io.keikomon.docker.ComposeModel.Service;
import io.keikomon.docker.ComposeModel.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a Compose-spec file into a {@link ComposeModel}. Every key keiko-mon cannot honour is reported with
 * its position and dotted path (an error when ignoring it would change what runs, a warning when it is only
 * informative); nothing is dropped silently. {@code x-*} extension keys are Compose's own "ignore me" marker.
 */
public final class ComposeParser {
  private static final Set<String> TOP_KEYS = Set.of("name", "version", "services", "volumes", "networks", "secrets");
  private static final Set<String> SERVICE_KEYS = Set.of("image", "command", "entrypoint", "environment", "ports",
      "volumes", "secrets", "healthcheck", "depends_on", "extra_hosts", "restart", "container_name", "network_mode",
      "pid", "labels", "user", "networks");
  private static final Pattern SHORT_PORT = Pattern.compile(
      "^(?:(?<ip>[0-9.]+|\\[[0-9a-fA-F:]+\\]):)?(?:(?<pub>\\d*):)?(?<target>\\d+)(?:/(?<proto>tcp|udp|sctp))?$");
  private static final Set<String> PROPAGATIONS = Set.of("rprivate", "private", "rshared", "shared", "rslave", "slave");

  private final Interpolator interpolator;

  /** {@code variables}: what {@code ${VAR}} in the file expands to (environment, then .env). */
  public ComposeParser(Map<String, String> variables) {
    this.interpolator = new Interpolator(variables);
  }

  public record Result(ComposeModel model, List<Problem> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * @param file absolute path of the compose file (relative sources resolve against its folder)
   * @param label how problems name the file (e.g. "monitoring/docker-compose.monitoring.yml")
   * @param project the project name from keiko.yml, used unless the file sets {@code name:}
   * @throws ConfigException with every error (and the warnings) when the file cannot be honoured
   */
  public Result parse(Path file, String label, String content, String project) {
    Reader r = new Reader(label, file.getParent());
    Node root;
    try {
      LoadSettings settings = LoadSettings.builder().setLabel(label).setAllowDuplicateKeys(false).build();
      root = new Compose(settings).composeString(content).orElse(null);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      int col = e.getProblemMark().map(m -> m.getColumn() + 1).orElse(0);
      throw new ConfigException(List.of(Problem.error(label, line, col, "", "not valid YAML: " + e.getProblem(),
          "fix the file by hand, or delete it and run `keiko-mon render`")));
    } catch (YamlEngineException e) {
      throw new ConfigException(List.of(Problem.error(label, 0, 0, "", "not valid YAML: " + e.getMessage(),
          "fix the file by hand, or delete it and run `keiko-mon render`")));
    }
    if (!(root instanceof MappingNode rootMap)) {
      r.error(root, "", "must be a mapping with a `services:` key", null);
      throw new ConfigException(r.problems);
    }
    ComposeModel model = r.model(rootMap, project, file);
    if (r.problems.stream().anyMatch(Problem::isError)) {
      throw new ConfigException(r.problems);
    }
    return new Result(model, r.problems);
  }

  /** One parse: collects problems while walking the node tree. */
  private final class Reader {
    final String label;
    final Path dir;
    final List<Problem> problems = new ArrayList<>();

    Reader(String label, Path dir) {
      this.label = label;
      this.dir = dir;
    }

    ComposeModel model(MappingNode root, String project, Path file) {
      Map<String, Node> top = entries(root, "");
      for (Map.Entry<String, Node> e : top.entrySet()) {
        if (!TOP_KEYS.contains(e.getKey()) && !e.getKey().startsWith("x-")) {
          unsupported(e.getValue(), e.getKey());
        }
      }
      if (top.containsKey("version")) {
        warning(top.get("version"), "version", "is obsolete in the Compose specification and ignored", "remove it");
      }
      String name = top.containsKey("name") ? string(top.get("name"), "name") : project;
      Map<String, Volume> volumes = volumes(top.get("volumes"));
      Map<String, Network> networks = networks(top.get("networks"));
      Map<String, String> secrets = secrets(top.get("secrets"));
      Map<String, Service> services = new LinkedHashMap<>();
      Node servicesNode = top.get("services");
      if (servicesNode == null) {
        error(root, "services", "is missing", "a compose file needs at least one service");
      } else {
        for (Map.Entry<String, Node> e : entries(servicesNode, "services").entrySet()) {
          Service s = service(e.getKey(), e.getValue(), name, volumes, secrets);
          if (s != null) {
            services.put(e.getKey(), s);
          }
        }
      }
      checkDependencies(services, servicesNode);
      return new ComposeModel(file, name, services, volumes, networks);
    }

    Service service(String name, Node node, String project, Map<String, Volume> volumes, Map<String, String> secrets) {
      String p = "services." + name;
      Map<String, Node> m = entries(node, p);
      for (Map.Entry<String, Node> e : m.entrySet()) {
        if (!SERVICE_KEYS.contains(e.getKey()) && !e.getKey().startsWith("x-")) {
          unsupported(e.getValue(), p + "." + e.getKey());
        }
      }
      String image = m.containsKey("image") ? string(m.get("image"), p + ".image") : null;
      if (image == null || image.isBlank()) {
        error(node, p + ".image", "is missing", "keiko-mon runs images only (no `build:`); set `image:`");
      }
      List<Mount> mounts = new ArrayList<>();
      if (m.containsKey("volumes")) {
        List<Node> items = items(m.get("volumes"), p + ".volumes");
        for (int i = 0; i < items.size(); i++) {
          Mount mount = mount(items.get(i), p + ".volumes[" + i + "]", volumes);
          if (mount != null) {
            mounts.add(mount);
          }
        }
      }
      if (m.containsKey("secrets")) {
        List<Node> items = items(m.get("secrets"), p + ".secrets");
        for (int i = 0; i < items.size(); i++) {
          Mount mount = secretMount(items.get(i), p + ".secrets[" + i + "]", secrets);
          if (mount != null) {
            mounts.add(mount);
          }
        }
      }
      if (m.containsKey("networks")) {
        Node n = m.get("networks");
        List<String> keys = n instanceof MappingNode ? new ArrayList<>(entries(n, p + ".networks").keySet())
            : items(n, p + ".networks").stream().map(x -> string(x, p + ".networks")).toList();
        if (!keys.equals(List.of("default"))) {
          error(n, p + ".networks", "only the project's `default` network is supported",
              "remove the key (services join <project>_default)");
        }
      }
      Optional<String> networkMode = optString(m.get("network_mode"), p + ".network_mode");
      List<Port> ports = ports(m.get("ports"), p + ".ports");
      if (networkMode.isPresent() && !ports.isEmpty()) {
        warning(m.get("ports"), p + ".ports", "is ignored by the engine with network_mode " + networkMode.get(),
            "remove `ports:` or `network_mode:`");
      }
      String containerName = optString(m.get("container_name"), p + ".container_name").orElse(project + "-" + name + "-1");
      return new Service(
          name,
          image,
          commandLine(m.get("command"), p + ".command"),
          commandLine(m.get("entrypoint"), p + ".entrypoint"),
          keyValues(m.get("environment"), p + ".environment", true),
          ports,
          mounts,
          healthcheck(m.get("healthcheck"), p + ".healthcheck"),
          dependsOn(m.get("depends_on"), p + ".depends_on"),
          extraHosts(m.get("extra_hosts"), p + ".extra_hosts"),
          restart(m.get("restart"), p + ".restart"),
          containerName,
          networkMode,
          optString(m.get("pid"), p + ".pid"),
          keyValues(m.get("labels"), p + ".labels", false),
          optString(m.get("user"), p + ".user"));
    }

    // ---- services.*.volumes / secrets

    Mount mount(Node node, String p, Map<String, Volume> volumes) {
      if (node instanceof MappingNode) {
        Map<String, Node> m = entries(node, p);
        allowOnly(m, p, Set.of("type", "source", "target", "read_only", "bind", "volume"));
        String type = m.containsKey("type") ? string(m.get("type"), p + ".type") : "volume";
        String source = m.containsKey("source") ? string(m.get("source"), p + ".source") : null;
        String target = m.containsKey("target") ? string(m.get("target"), p + ".target") : null;
        boolean ro = m.containsKey("read_only") && bool(m.get("read_only"), p + ".read_only");
        String propagation = "";
        if (m.containsKey("bind")) {
          Map<String, Node> b = entries(m.get("bind"), p + ".bind");
          allowOnly(b, p + ".bind", Set.of("propagation"));
          if (b.containsKey("propagation")) {
            propagation = propagation(b.get("propagation"), p + ".bind.propagation",
                string(b.get("propagation"), p + ".bind.propagation"));
          }
        }
        if (m.containsKey("volume")) {
          unsupported(m.get("volume"), p + ".volume");
        }
        if (target == null) {
          error(node, p + ".target", "is missing", null);
          return null;
        }
        return switch (type) {
          case "bind" -> source == null ? missing(node, p + ".source") : bind(source, target, ro, propagation);
          case "volume" -> source == null ? anonymous(node, p) : volume(node, p, source, target, ro, volumes);
          default -> {
            error(m.get("type"), p + ".type", "type `" + type + "` is not supported", "use `bind` or `volume`");
            yield null;
          }
        };
      }
      String spec = string(node, p);
      if (spec == null) {
        return null;
      }
      String[] parts = spec.split(":", -1);
      if (parts.length == 1) {
        return anonymous(node, p);
      }
      if (parts.length > 3) {
        error(node, p, "`" + spec + "` is not SOURCE:TARGET[:MODE]", null);
        return null;
      }
      boolean ro = false;
      String propagation = "";
      if (parts.length == 3) {
        for (String opt : parts[2].split(",")) {
          if (opt.equals("ro")) {
            ro = true;
          } else if (PROPAGATIONS.contains(opt)) {
            propagation = opt;
          } else if (!opt.equals("rw")) {
            error(node, p, "mount option `" + opt + "` is not supported", "use ro, rw or a propagation mode");
          }
        }
      }
      String source = parts[0];
      boolean isPath = source.startsWith("/") || source.startsWith(".") || source.startsWith("~");
      return isPath ? bind(source, parts[1], ro, propagation) : volume(node, p, source, parts[1], ro, volumes);
    }

    Mount bind(String source, String target, boolean ro, String propagation) {
      return new Mount(MountType.BIND, hostPath(source), target, ro, propagation);
    }

    Mount volume(Node node, String p, String key, String target, boolean ro, Map<String, Volume> volumes) {
      if (!volumes.containsKey(key)) {
        error(node, p, "volume `" + key + "` is not declared under the top-level `volumes:`",
            "add `" + key + ": {}` to `volumes:`");
        return null;
      }
      return new Mount(MountType.VOLUME, key, target, ro, "");
    }

    Mount anonymous(Node node, String p) {
      error(node, p, "anonymous volumes are not supported (their data would be lost on every recreate)",
          "declare a named volume under the top-level `volumes:` and mount it");
      return null;
    }

    Mount missing(Node node, String p) {
      error(node, p, "is missing", null);
      return null;
    }

    Mount secretMount(Node node, String p, Map<String, String> secrets) {
      String source;
      String target;
      if (node instanceof MappingNode) {
        Map<String, Node> m = entries(node, p);
        allowOnly(m, p, Set.of("source", "target"));
        source = string(m.get("source"), p + ".source");
        target = m.containsKey("target") ? string(m.get("target"), p + ".target") : source;
      } else {
        source = string(node, p);
        target = source;
      }
      if (source == null) {
        return null;
      }
      String file = secrets.get(source);
      if (file == null) {
        error(node, p, "secret `" + source + "` is not declared under the top-level `secrets:` with a `file:`", null);
        return null;
      }
      String path = target.startsWith("/") ? target : "/run/secrets/" + target;
      return new Mount(MountType.BIND, file, path, true, "");
    }

    String hostPath(String source) {
      if (source.startsWith("~")) {
        String home = System.getProperty("user.home");
        return dir.getFileSystem().getPath(home + source.substring(1)).normalize().toString();
      }
      return dir.resolve(source).normalize().toString();
    }

    String propagation(Node node, String p, String value) {
      if (value == null || !PROPAGATIONS.contains(value)) {
        error(node, p, "`" + value + "` is not a propagation mode", "one of " + String.join(", ", PROPAGATIONS));
        return "";
      }
      return value;
    }

    // ---- top-level sections

    Map<String, Volume> volumes(Node node) {
      Map<String, Volume> out = new LinkedHashMap<>();
      if (node == null) {
        return out;
      }
      for (Map.Entry<String, Node> e : entries(node, "volumes").entrySet()) {
        String p = "volumes." + e.getKey();
        Map<String, Node> m = isNull(e.getValue()) ? Map.of() : entries(e.getValue(), p);
        allowOnly(m, p, Set.of("name", "external", "driver", "labels"));
        String driver = m.containsKey("driver") ? string(m.get("driver"), p + ".driver") : "local";
        out.put(e.getKey(), new Volume(e.getKey(),
            m.containsKey("name") ? string(m.get("name"), p + ".name") : null,
            m.containsKey("external") && bool(m.get("external"), p + ".external"),
            driver,
            keyValues(m.get("labels"), p + ".labels", false)));
      }
      return out;
    }

    Map<String, Network> networks(Node node) {
      Map<String, Network> out = new LinkedHashMap<>();
      if (node == null) {
        return out;
      }
      for (Map.Entry<String, Node> e : entries(node, "networks").entrySet()) {
        String p = "networks." + e.getKey();
        if (!e.getKey().equals("default")) {
          error(e.getValue(), p, "only the `default` network is supported", "remove this network");
          continue;
        }
        Map<String, Node> m = isNull(e.getValue()) ? Map.of() : entries(e.getValue(), p);
        allowOnly(m, p, Set.of("name", "external", "driver"));
        String driver = m.containsKey("driver") ? string(m.get("driver"), p + ".driver") : "bridge";
        out.put(e.getKey(), new Network(e.getKey(),
            m.containsKey("name") ? string(m.get("name"), p + ".name") : null,
            m.containsKey("external") && bool(m.get("external"), p + ".external"),
            driver));
      }
      return out;
    }

    /** Secret name → absolute host file. */
    Map<String, String> secrets(Node node) {
      Map<String, String> out = new LinkedHashMap<>();
      if (node == null) {
        return out;
      }
      for (Map.Entry<String, Node> e : entries(node, "secrets").entrySet()) {
        String p = "secrets." + e.getKey();
        Map<String, Node> m = entries(e.getValue(), p);
        allowOnly(m, p, Set.of("file"));
        if (!m.containsKey("file")) {
          error(e.getValue(), p, "only file-based secrets are supported", "use `file: ./secrets/NAME`");
          continue;
        }
        out.put(e.getKey(), hostPath(string(m.get("file"), p + ".file")));
      }
      return out;
    }

    // ---- service fields

    Optional<List<String>> commandLine(Node node, String p) {
      if (node == null || isNull(node)) {
        return Optional.empty();
      }
      if (node instanceof SequenceNode) {
        return Optional.of(strings(node, p));
      }
      String s = string(node, p);
      return s == null ? Optional.empty() : Optional.of(ShellWords.split(s));
    }

    List<Port> ports(Node node, String p) {
      List<Port> out = new ArrayList<>();
      if (node == null) {
        return out;
      }
      List<Node> items = items(node, p);
      for (int i = 0; i < items.size(); i++) {
        String ip = p + "[" + i + "]";
        Node item = items.get(i);
        if (item instanceof MappingNode) {
          Map<String, Node> m = entries(item, ip);
          allowOnly(m, ip, Set.of("target", "published", "host_ip", "protocol", "mode"));
          Integer target = integer(m.get("target"), ip + ".target");
          String pub = m.containsKey("published") ? string(m.get("published"), ip + ".published") : "";
          String hostIp = m.containsKey("host_ip") ? string(m.get("host_ip"), ip + ".host_ip") : "";
          String proto = m.containsKey("protocol") ? string(m.get("protocol"), ip + ".protocol") : "tcp";
          if (m.containsKey("mode") && !"host".equals(string(m.get("mode"), ip + ".mode"))) {
            error(m.get("mode"), ip + ".mode", "only `host` mode works without swarm", "use mode: host");
          }
          if (target != null && pub != null && pub.matches("\\d*")) {
            out.add(new Port(hostIp, pub.isEmpty() ? 0 : Integer.parseInt(pub), target, proto));
          } else if (target != null) {
            error(m.get("published"), ip + ".published", "port ranges are not supported", "publish single ports");
          }
          continue;
        }
        String spec = string(item, ip);
        Matcher mt = spec == null ? null : SHORT_PORT.matcher(spec);
        if (mt == null || !mt.matches()) {
          error(item, ip, "`" + spec + "` is not [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]",
              "e.g. \"127.0.0.1:9090:9090\"; port ranges are not supported");
          continue;
        }
        String hostIp = mt.group("ip") == null ? "" : mt.group("ip").replace("[", "").replace("]", "");
        String pub = mt.group("pub");
        out.add(new Port(hostIp, pub == null || pub.isEmpty() ? 0 : Integer.parseInt(pub),
            Integer.parseInt(mt.group("target")), mt.group("proto") == null ? "tcp" : mt.group("proto")));
      }
      return out;
    }

    Optional<Health> healthcheck(Node node, String p) {
      if (node == null) {
        return Optional.empty();
      }
      Map<String, Node> m = entries(node, p);
      allowOnly(m, p, Set.of("test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"));
      if (m.containsKey("start_interval")) {
        warning(m.get("start_interval"), p + ".start_interval",
            "needs Docker Engine 25 (API 1.44); not sent, keiko-mon probes readiness itself instead", null);
      }
      if (m.containsKey("disable") && bool(m.get("disable"), p + ".disable")) {
        return Optional.of(new Health(List.of("NONE"), 0, 0, 0, 0));
      }
      List<String> test;
      Node t = m.get("test");
      if (t == null) {
        error(node, p + ".test", "is missing", "e.g. test: [\"CMD\", \"wget\", \"-qO-\", \"http://localhost:9090/-/ready\"]");
        return Optional.empty();
      } else if (t instanceof SequenceNode) {
        test = strings(t, p + ".test");
        if (test.isEmpty() || !Set.of("CMD", "CMD-SHELL", "NONE").contains(test.get(0))) {
          error(t, p + ".test", "a list must start with CMD, CMD-SHELL or NONE", null);
          return Optional.empty();
        }
      } else {
        test = List.of("CMD-SHELL", string(t, p + ".test"));
      }
      Long interval = m.containsKey("interval") ? duration(m.get("interval"), p + ".interval") : Long.valueOf(0);
      Long timeout = m.containsKey("timeout") ? duration(m.get("timeout"), p + ".timeout") : Long.valueOf(0);
      Long start = m.containsKey("start_period") ? duration(m.get("start_period"), p + ".start_period") : Long.valueOf(0);
      Integer retries = m.containsKey("retries") ? integer(m.get("retries"), p + ".retries") : Integer.valueOf(0);
      return Optional.of(new Health(test, orZero(interval), orZero(timeout), orZero(start),
          retries == null ? 0 : retries));
    }

    Map<String, Dependency> dependsOn(Node node, String p) {
      Map<String, Dependency> out = new LinkedHashMap<>();
      if (node == null) {
        return out;
      }
      if (node instanceof SequenceNode) {
        for (String s : strings(node, p)) {
          out.put(s, new Dependency(Condition.SERVICE_STARTED, false, true));
        }
        return out;
      }
      for (Map.Entry<String, Node> e : entries(node, p).entrySet()) {
        String dp = p + "." + e.getKey();
        Map<String, Node> m = entries(e.getValue(), dp);
        allowOnly(m, dp, Set.of("condition", "restart", "required"));
        Condition c = Condition.SERVICE_STARTED;
        if (m.containsKey("condition")) {
          String v = string(m.get("condition"), dp + ".condition");
          try {
            c = Condition.valueOf(String.valueOf(v).toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException ex) {
            error(m.get("condition"), dp + ".condition", "`" + v + "` is not a condition",
                "service_started, service_healthy or service_completed_successfully");
          }
        }
        out.put(e.getKey(), new Dependency(c,
            m.containsKey("restart") && bool(m.get("restart"), dp + ".restart"),
            !m.containsKey("required") || bool(m.get("required"), dp + ".required")));
      }
      return out;
    }

    void checkDependencies(Map<String, Service> services, Node servicesNode) {
      for (Service s : services.values()) {
        for (Map.Entry<String, Dependency> d : s.dependsOn().entrySet()) {
          if (!services.containsKey(d.getKey()) && d.getValue().required()) {
            error(servicesNode, "services." + s.name() + ".depends_on." + d.getKey(), "no such service",
                "remove the dependency or add the service");
          }
        }
      }
      try {
        StartOrder.of(services);
      } catch (IllegalArgumentException e) {
        error(servicesNode, "services", e.getMessage(), "break the cycle in depends_on");
      }
    }

    List<String> extraHosts(Node node, String p) {
      List<String> out = new ArrayList<>();
      if (node == null) {
        return out;
      }
      if (node instanceof MappingNode) {
        entries(node, p).forEach((k, v) -> out.add(k + ":" + string(v, p + "." + k)));
        return out;
      }
      for (String s : strings(node, p)) {
        // Compose accepts "host=ip" and "host:ip"; the Engine wants "host:ip".
        int eq = s.indexOf('=');
        out.add(eq > 0 ? s.substring(0, eq) + ":" + s.substring(eq + 1) : s);
      }
      return out;
    }

    String restart(Node node, String p) {
      if (node == null) {
        return "no";
      }
      String v = string(node, p);
      if (v == null || !v.matches("no|always|unless-stopped|on-failure(:\\d+)?")) {
        error(node, p, "`" + v + "` is not a restart policy", "no, always, on-failure[:N] or unless-stopped");
        return "no";
      }
      return v;
    }

    Map<String, String> keyValues(Node node, String p, boolean fromEnvironment) {
      Map<String, String> out = new LinkedHashMap<>();
      if (node == null || isNull(node)) {
        return out;
      }
      if (node instanceof MappingNode) {
        entries(node, p).forEach((k, v) -> out.put(k, isNull(v) ? lookup(k, fromEnvironment) : string(v, p + "." + k)));
        return out;
      }
      for (String s : strings(node, p)) {
        int eq = s.indexOf('=');
        if (eq < 0) {
          out.put(s, lookup(s, fromEnvironment));
        } else {
          out.put(s.substring(0, eq), s.substring(eq + 1));
        }
      }
      out.values().removeIf(v -> v == null);
      return out;
    }

    /** Compose passes a bare environment key through from the caller's environment (and drops it when unset). */
    String lookup(String key, boolean fromEnvironment) {
      return fromEnvironment ? interpolator.variable(key) : "";
    }

    // ---- generic node access

    Map<String, Node> entries(Node node, String p) {
      Map<String, Node> out = new LinkedHashMap<>();
      if (!(node instanceof MappingNode map)) {
        error(node, p, "must be a mapping", null);
        return out;
      }
      for (NodeTuple t : map.getValue()) {
        String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
        if (key == null) {
          error(t.getKeyNode(), p, "keys must be plain strings", null);
        } else if (key.equals("<<")) {
          // YAML merge key (used with x-* anchors): merged keys come first, explicit keys override them.
          Node v = t.getValueNode();
          List<Node> sources = v instanceof SequenceNode seq ? seq.getValue() : List.of(v);
          for (Node src : sources) {
            entries(src, p).forEach(out::putIfAbsent);
          }
        } else {
          out.put(key, t.getValueNode());
        }
      }
      return out;
    }

    List<Node> items(Node node, String p) {
      if (!(node instanceof SequenceNode seq)) {
        error(node, p, "must be a list", null);
        return List.of();
      }
      return seq.getValue();
    }

    List<String> strings(Node node, String p) {
      List<String> out = new ArrayList<>();
      List<Node> items = items(node, p);
      for (int i = 0; i < items.size(); i++) {
        String s = string(items.get(i), p + "[" + i + "]");
        if (s != null) {
          out.add(s);
        }
      }
      return out;
    }

    Optional<String> optString(Node node, String p) {
      return node == null || isNull(node) ? Optional.empty() : Optional.ofNullable(string(node, p));
    }

    String string(Node node, String p) {
      if (!(node instanceof ScalarNode s)) {
        error(node, p, "must be a single value", null);
        return null;
      }
      try {
        return interpolator.expand(s.getValue());
      } catch (IllegalArgumentException e) {
        error(node, p, e.getMessage(), "set the variable in the environment or in .env");
        return s.getValue();
      }
    }

    boolean bool(Node node, String p) {
      String s = string(node, p);
      if ("true".equalsIgnoreCase(s)) {
        return true;
      }
      if (!"false".equalsIgnoreCase(s)) {
        error(node, p, "must be true or false", null);
      }
      return false;
    }

    Integer integer(Node node, String p) {
      String s = string(node, p);
      if (s == null || !s.matches("\\d{1,9}")) {
        error(node, p, "must be a whole number", null);
        return null;
      }
      return Integer.parseInt(s);
    }

    /** Go duration ("1m30s", "500ms") in nanoseconds, as Compose writes them. */
    Long duration(Node node, String p) {
      String s = string(node, p);
      if (s == null) {
        return null;
      }
      java.util.OptionalLong n = GoDuration.parseNanos(s);
      if (n.isEmpty()) {
        error(node, p, "`" + s + "` is not a duration", "e.g. 10s, 1m30s, 500ms");
        return null;
      }
      return n.getAsLong();
    }

    long orZero(Long v) {
      return v == null ? 0 : v;
    }

    boolean isNull(Node node) {
      return node instanceof ScalarNode s && (s.getTag().getValue().endsWith(":null") || s.getValue().isEmpty());
    }

    void allowOnly(Map<String, Node> m, String p, Set<String> allowed) {
      m.forEach((k, v) -> {
        if (!allowed.contains(k) && !k.startsWith("x-")) {
          unsupported(v, p + "." + k);
        }
      });
    }

    void unsupported(Node node, String p) {
      error(node, p, "keiko-mon up cannot honour this key",
          "remove it, or run the file with docker-compose yourself");
    }

    void error(Node node, String p, String message, String hint) {
      problems.add(Problem.error(label, line(node), column(node), p, message, hint));
    }

    void warning(Node node, String p, String message, String hint) {
      problems.add(Problem.warning(label, line(node), column(node), p, message, hint));
    }

    int line(Node node) {
      return node == null ? 0 : node.getStartMark().map(mk -> mk.getLine() + 1).orElse(0);
    }

    int column(Node node) {
      return node == null ? 0 : node.getStartMark().map(mk -> mk.getColumn() + 1).orElse(0);
    }
  }
}
