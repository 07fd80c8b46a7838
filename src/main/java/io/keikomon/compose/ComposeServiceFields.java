package io.keikomon.compose;

import io.keikomon.compose.ComposeModel.Condition;
import io.keikomon.compose.ComposeModel.Dependency;
import io.keikomon.compose.ComposeModel.Health;
import io.keikomon.compose.ComposeModel.Port;
import io.keikomon.core.ByteSize;
import io.keikomon.engine.Hardening;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The value-shaped fields of a compose service: command lines, ports, healthcheck (with Go durations),
 * depends_on, extra_hosts and the restart policy, each in the form the Engine takes.
 */
public final class ComposeServiceFields {
  private static final Pattern SHORT_PORT = Pattern.compile(
      "^(?:(?<ip>[0-9.]+|\\[[0-9a-fA-F:]+\\]):)?(?:(?<pub>\\d*):)?(?<target>\\d+)(?:/(?<proto>tcp|udp|sctp))?$");

  private final ComposeNodes nodes;

  ComposeServiceFields(ComposeNodes nodes) {
    this.nodes = nodes;
  }

  Optional<List<String>> commandLine(Node node, String p) {
    if (node == null || nodes.isNull(node)) {
      return Optional.empty();
    }
    if (node instanceof SequenceNode) {
      return Optional.of(nodes.strings(node, p));
    }
    String s = nodes.string(node, p);
    return s == null ? Optional.empty() : Optional.of(ShellWords.split(s));
  }

  List<Port> ports(Node node, String p) {
    List<Port> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    List<Node> items = nodes.items(node, p);
    for (int i = 0; i < items.size(); i++) {
      String ip = p + "[" + i + "]";
      Node item = items.get(i);
      if (item instanceof MappingNode) {
        Map<String, Node> m = nodes.entries(item, ip);
        nodes.allowOnly(m, ip, Set.of("target", "published", "host_ip", "protocol", "mode"));
        Integer target = nodes.integer(m.get("target"), ip + ".target");
        String pub = m.containsKey("published") ? nodes.string(m.get("published"), ip + ".published") : "";
        String hostIp = m.containsKey("host_ip") ? nodes.string(m.get("host_ip"), ip + ".host_ip") : "";
        String proto = m.containsKey("protocol") ? nodes.string(m.get("protocol"), ip + ".protocol") : "tcp";
        if (m.containsKey("mode") && !"host".equals(nodes.string(m.get("mode"), ip + ".mode"))) {
          nodes.error(m.get("mode"), ip + ".mode", "only `host` mode works without swarm", "use mode: host");
        }
        if (target != null && pub != null && pub.matches("\\d*")) {
          out.add(new Port(hostIp, pub.isEmpty() ? 0 : Integer.parseInt(pub), target, proto));
        } else if (target != null) {
          nodes.error(m.get("published"), ip + ".published", "port ranges are not supported", "publish single ports");
        }
        continue;
      }
      String spec = nodes.string(item, ip);
      Matcher mt = spec == null ? null : SHORT_PORT.matcher(spec);
      if (mt == null || !mt.matches()) {
        nodes.error(item, ip, "`" + spec + "` is not [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]",
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
    Map<String, Node> m = nodes.entries(node, p);
    nodes.allowOnly(m, p,
        Set.of("test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"));
    if (m.containsKey("start_interval")) {
      nodes.warning(m.get("start_interval"), p + ".start_interval",
          "needs Docker Engine 25 (API 1.44); not sent, keiko-mon probes readiness itself instead", null);
    }
    if (m.containsKey("disable") && nodes.bool(m.get("disable"), p + ".disable")) {
      return Optional.of(new Health(List.of("NONE"), 0, 0, 0, 0));
    }
    List<String> test;
    Node t = m.get("test");
    if (t == null) {
      nodes.error(node, p + ".test", "is missing",
          "e.g. test: [\"CMD\", \"wget\", \"-qO-\", \"http://localhost:9090/-/ready\"]");
      return Optional.empty();
    } else if (t instanceof SequenceNode) {
      test = nodes.strings(t, p + ".test");
      if (test.isEmpty() || !Set.of("CMD", "CMD-SHELL", "NONE").contains(test.get(0))) {
        nodes.error(t, p + ".test", "a list must start with CMD, CMD-SHELL or NONE", null);
        return Optional.empty();
      }
    } else {
      test = List.of("CMD-SHELL", nodes.string(t, p + ".test"));
    }
    Long interval = m.containsKey("interval") ? nodes.duration(m.get("interval"), p + ".interval") : Long.valueOf(0);
    Long timeout = m.containsKey("timeout") ? nodes.duration(m.get("timeout"), p + ".timeout") : Long.valueOf(0);
    Long start = m.containsKey("start_period") ? nodes.duration(m.get("start_period"), p + ".start_period")
        : Long.valueOf(0);
    Integer retries = m.containsKey("retries") ? nodes.integer(m.get("retries"), p + ".retries") : Integer.valueOf(0);
    return Optional.of(new Health(test, orZero(interval), orZero(timeout), orZero(start),
        retries == null ? 0 : retries));
  }

  Map<String, Dependency> dependsOn(Node node, String p) {
    Map<String, Dependency> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    if (node instanceof SequenceNode) {
      for (String s : nodes.strings(node, p)) {
        out.put(s, new Dependency(Condition.SERVICE_STARTED, false, true));
      }
      return out;
    }
    for (Map.Entry<String, Node> e : nodes.entries(node, p).entrySet()) {
      String dp = p + "." + e.getKey();
      Map<String, Node> m = nodes.entries(e.getValue(), dp);
      nodes.allowOnly(m, dp, Set.of("condition", "restart", "required"));
      Condition c = Condition.SERVICE_STARTED;
      if (m.containsKey("condition")) {
        String v = nodes.string(m.get("condition"), dp + ".condition");
        try {
          c = Condition.valueOf(String.valueOf(v).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
          nodes.error(m.get("condition"), dp + ".condition", "`" + v + "` is not a condition",
              "service_started, service_healthy or service_completed_successfully");
        }
      }
      out.put(e.getKey(), new Dependency(c,
          m.containsKey("restart") && nodes.bool(m.get("restart"), dp + ".restart"),
          !m.containsKey("required") || nodes.bool(m.get("required"), dp + ".required")));
    }
    return out;
  }

  List<String> extraHosts(Node node, String p) {
    List<String> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (node instanceof MappingNode) {
      nodes.entries(node, p).forEach((k, v) -> out.add(k + ":" + nodes.string(v, p + "." + k)));
      return out;
    }
    for (String s : nodes.strings(node, p)) {
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
    String v = nodes.string(node, p);
    if (v == null || !v.matches("no|always|unless-stopped|on-failure(:\\d+)?")) {
      nodes.error(node, p, "`" + v + "` is not a restart policy", "no, always, on-failure[:N] or unless-stopped");
      return "no";
    }
    return v;
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  /**
   * security_opt, cap_add, cap_drop, read_only, tmpfs, mem_limit and logging: what keiko-mon's compose template
   * writes to harden each service (docs/security.md).
   */
  Hardening hardening(Map<String, Node> m, String p) {
    List<String> securityOpt = m.containsKey("security_opt") ? nodes.strings(m.get("security_opt"), p + ".security_opt")
        : List.of();
    List<String> capAdd = capabilities(m.get("cap_add"), p + ".cap_add");
    List<String> capDrop = capabilities(m.get("cap_drop"), p + ".cap_drop");
    boolean readOnly = m.containsKey("read_only") && nodes.bool(m.get("read_only"), p + ".read_only");
    List<String> tmpfs = List.of();
    Node t = m.get("tmpfs");
    if (t != null) {
      tmpfs = t instanceof SequenceNode ? nodes.strings(t, p + ".tmpfs")
          : Optional.ofNullable(nodes.string(t, p + ".tmpfs")).map(List::of).orElse(List.of());
    }
    long memory = 0;
    if (m.containsKey("mem_limit")) {
      String text = nodes.string(m.get("mem_limit"), p + ".mem_limit");
      OptionalLong bytes = text == null ? OptionalLong.empty() : ByteSize.parse(text);
      if (bytes.isPresent()) {
        memory = bytes.getAsLong();
      } else {
        nodes.error(m.get("mem_limit"), p + ".mem_limit", "`" + text + "` is not a size", "e.g. 512m or 2g");
      }
    }
    String logDriver = null;
    Map<String, String> logOptions = Map.of();
    if (m.containsKey("logging")) {
      String lp = p + ".logging";
      Map<String, Node> l = nodes.entries(m.get("logging"), lp);
      nodes.allowOnly(l, lp, Set.of("driver", "options"));
      logDriver = nodes.optString(l.get("driver"), lp + ".driver").orElse("json-file");
      logOptions = l.containsKey("options") ? nodes.keyValues(l.get("options"), lp + ".options", false) : Map.of();
    }
    return new Hardening(securityOpt, capAdd, capDrop, readOnly, tmpfs, memory, logDriver, logOptions);
  }

  /** Capability names as the Engine takes them: upper case, without the {@code CAP_} prefix Compose allows. */
  private List<String> capabilities(Node node, String p) {
    if (node == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String c : nodes.strings(node, p)) {
      String name = c.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
      if (name.matches("[A-Z][A-Z_]*")) {
        out.add(name);
      } else {
        nodes.error(node, p, "`" + c + "` is not a capability name", "e.g. ALL, CHOWN, NET_BIND_SERVICE");
      }
    }
    return out;
  }
}
