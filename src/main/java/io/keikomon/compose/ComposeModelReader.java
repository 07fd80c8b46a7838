package io.keikomon.compose;

import io.keikomon.compose.ComposeModel.Dependency;
import io.keikomon.compose.ComposeModel.Mount;
import io.keikomon.compose.ComposeModel.Network;
import io.keikomon.compose.ComposeModel.Port;
import io.keikomon.compose.ComposeModel.Service;
import io.keikomon.compose.ComposeModel.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Walks one compose file's node tree into a {@link ComposeModel}: the top-level sections, each service, and
 * the checks across services (dependencies exist, no cycle). Problems collect in {@link ComposeNodes#problems}.
 */
public final class ComposeModelReader {
  private static final Set<String> TOP_KEYS = Set.of("name", "version", "services", "volumes", "networks", "secrets");
  private static final Set<String> SERVICE_KEYS = Set.of("image", "command", "entrypoint", "environment", "ports",
      "volumes", "secrets", "healthcheck", "depends_on", "extra_hosts", "restart", "container_name", "network_mode",
      "pid", "labels", "user", "networks", "security_opt", "cap_add", "cap_drop", "read_only", "tmpfs", "mem_limit",
      "logging");

  private final ComposeNodes nodes;
  private final ComposeMounts volumesAndSecrets;
  private final ComposeServiceFields fields;

  /** {@code dir}: the compose file's folder, which relative sources resolve against. */
  ComposeModelReader(ComposeNodes nodes, Path dir) {
    this.nodes = nodes;
    this.volumesAndSecrets = new ComposeMounts(nodes, dir);
    this.fields = new ComposeServiceFields(nodes);
  }

  ComposeModel model(MappingNode root, String project, Path file) {
    Map<String, Node> top = nodes.entries(root, "");
    for (Map.Entry<String, Node> e : top.entrySet()) {
      if (!TOP_KEYS.contains(e.getKey()) && !e.getKey().startsWith("x-")) {
        nodes.unsupported(e.getValue(), e.getKey());
      }
    }
    if (top.containsKey("version")) {
      nodes.warning(top.get("version"), "version", "is obsolete in the Compose specification and ignored", "remove it");
    }
    String name = top.containsKey("name") ? nodes.string(top.get("name"), "name") : project;
    Map<String, Volume> volumes = volumes(top.get("volumes"));
    Map<String, Network> networks = networks(top.get("networks"));
    Map<String, String> secrets = secrets(top.get("secrets"));
    Map<String, Service> services = new LinkedHashMap<>();
    Node servicesNode = top.get("services");
    if (servicesNode == null) {
      nodes.error(root, "services", "is missing", "a compose file needs at least one service");
    } else {
      for (Map.Entry<String, Node> e : nodes.entries(servicesNode, "services").entrySet()) {
        Service s = service(e.getKey(), e.getValue(), name, volumes, secrets);
        if (s != null) {
          services.put(e.getKey(), s);
        }
      }
    }
    checkDependencies(services, servicesNode);
    return new ComposeModel(file, name, services, volumes, networks);
  }

  private Service service(String name, Node node, String project, Map<String, Volume> volumes,
      Map<String, String> secrets) {
    String p = "services." + name;
    Map<String, Node> m = nodes.entries(node, p);
    for (Map.Entry<String, Node> e : m.entrySet()) {
      if (!SERVICE_KEYS.contains(e.getKey()) && !e.getKey().startsWith("x-")) {
        nodes.unsupported(e.getValue(), p + "." + e.getKey());
      }
    }
    String image = m.containsKey("image") ? nodes.string(m.get("image"), p + ".image") : null;
    if (image == null || image.isBlank()) {
      nodes.error(node, p + ".image", "is missing", "keiko-mon runs images only (no `build:`); set `image:`");
    }
    List<Mount> mounts = new ArrayList<>();
    addMounts(mounts, m.get("volumes"), p + ".volumes", (item, ip) -> volumesAndSecrets.mount(item, ip, volumes));
    addMounts(mounts, m.get("secrets"), p + ".secrets",
        (item, ip) -> volumesAndSecrets.secretMount(item, ip, secrets));
    if (m.containsKey("networks")) {
      Node n = m.get("networks");
      List<String> keys = n instanceof MappingNode ? new ArrayList<>(nodes.entries(n, p + ".networks").keySet())
          : nodes.items(n, p + ".networks").stream().map(x -> nodes.string(x, p + ".networks")).toList();
      if (!keys.equals(List.of("default"))) {
        nodes.error(n, p + ".networks", "only the project's `default` network is supported",
            "remove the key (services join <project>_default)");
      }
    }
    Optional<String> networkMode = nodes.optString(m.get("network_mode"), p + ".network_mode");
    List<Port> ports = fields.ports(m.get("ports"), p + ".ports");
    if (networkMode.isPresent() && !ports.isEmpty()) {
      nodes.warning(m.get("ports"), p + ".ports", "is ignored by the engine with network_mode " + networkMode.get(),
          "remove `ports:` or `network_mode:`");
    }
    String containerName = nodes.optString(m.get("container_name"), p + ".container_name")
        .orElse(project + "-" + name + "-1");
    return new Service(
        name,
        image,
        fields.commandLine(m.get("command"), p + ".command"),
        fields.commandLine(m.get("entrypoint"), p + ".entrypoint"),
        nodes.keyValues(m.get("environment"), p + ".environment", true),
        ports,
        mounts,
        fields.healthcheck(m.get("healthcheck"), p + ".healthcheck"),
        fields.dependsOn(m.get("depends_on"), p + ".depends_on"),
        fields.extraHosts(m.get("extra_hosts"), p + ".extra_hosts"),
        fields.restart(m.get("restart"), p + ".restart"),
        containerName,
        networkMode,
        nodes.optString(m.get("pid"), p + ".pid"),
        nodes.keyValues(m.get("labels"), p + ".labels", false),
        nodes.optString(m.get("user"), p + ".user"),
        fields.hardening(m, p));
  }

  /** Appends the mount {@code read} makes of each item of the list {@code node} (if present) that is valid. */
  private void addMounts(List<Mount> out, Node node, String p, BiFunction<Node, String, Mount> read) {
    if (node == null) {
      return;
    }
    List<Node> items = nodes.items(node, p);
    for (int i = 0; i < items.size(); i++) {
      Mount mount = read.apply(items.get(i), p + "[" + i + "]");
      if (mount != null) {
        out.add(mount);
      }
    }
  }

  private Map<String, Volume> volumes(Node node) {
    Map<String, Volume> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    for (Map.Entry<String, Node> e : nodes.entries(node, "volumes").entrySet()) {
      String p = "volumes." + e.getKey();
      Map<String, Node> m = nodes.isNull(e.getValue()) ? Map.of() : nodes.entries(e.getValue(), p);
      nodes.allowOnly(m, p, Set.of("name", "external", "driver", "labels"));
      String driver = m.containsKey("driver") ? nodes.string(m.get("driver"), p + ".driver") : "local";
      out.put(e.getKey(), new Volume(e.getKey(),
          m.containsKey("name") ? nodes.string(m.get("name"), p + ".name") : null,
          m.containsKey("external") && nodes.bool(m.get("external"), p + ".external"),
          driver,
          nodes.keyValues(m.get("labels"), p + ".labels", false)));
    }
    return out;
  }

  private Map<String, Network> networks(Node node) {
    Map<String, Network> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    for (Map.Entry<String, Node> e : nodes.entries(node, "networks").entrySet()) {
      String p = "networks." + e.getKey();
      if (!e.getKey().equals("default")) {
        nodes.error(e.getValue(), p, "only the `default` network is supported", "remove this network");
        continue;
      }
      Map<String, Node> m = nodes.isNull(e.getValue()) ? Map.of() : nodes.entries(e.getValue(), p);
      nodes.allowOnly(m, p, Set.of("name", "external", "driver"));
      String driver = m.containsKey("driver") ? nodes.string(m.get("driver"), p + ".driver") : "bridge";
      out.put(e.getKey(), new Network(e.getKey(),
          m.containsKey("name") ? nodes.string(m.get("name"), p + ".name") : null,
          m.containsKey("external") && nodes.bool(m.get("external"), p + ".external"),
          driver));
    }
    return out;
  }

  /** Secret name → absolute host file. */
  private Map<String, String> secrets(Node node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    for (Map.Entry<String, Node> e : nodes.entries(node, "secrets").entrySet()) {
      String p = "secrets." + e.getKey();
      Map<String, Node> m = nodes.entries(e.getValue(), p);
      nodes.allowOnly(m, p, Set.of("file"));
      if (!m.containsKey("file")) {
        nodes.error(e.getValue(), p, "only file-based secrets are supported", "use `file: ./secrets/NAME`");
        continue;
      }
      out.put(e.getKey(), volumesAndSecrets.hostPath(nodes.string(m.get("file"), p + ".file")));
    }
    return out;
  }

  private void checkDependencies(Map<String, Service> services, Node servicesNode) {
    for (Service s : services.values()) {
      for (Map.Entry<String, Dependency> d : s.dependsOn().entrySet()) {
        if (!services.containsKey(d.getKey()) && d.getValue().required()) {
          nodes.error(servicesNode, "services." + s.name() + ".depends_on." + d.getKey(), "no such service",
              "remove the dependency or add the service");
        }
      }
    }
    try {
      StartOrder.of(services);
    } catch (IllegalArgumentException e) {
      nodes.error(servicesNode, "services", e.getMessage(), "break the cycle in depends_on");
    }
  }
}
