package io.keikomon.compose;

import io.keikomon.config.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * One compose file's YAML nodes read as typed values, with {@code ${VAR}} expanded. A read that does not fit
 * records a problem at the node's position (file:line:col and dotted path) and returns an empty or null value,
 * so one parse reports every problem of the file instead of stopping at the first.
 */
public final class ComposeNodes {
  final List<Problem> problems = new ArrayList<>();
  private final String label;
  private final Interpolator interpolator;

  ComposeNodes(String label, Interpolator interpolator) {
    this.label = label;
    this.interpolator = interpolator;
  }

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
    OptionalLong n = GoDuration.parseNanos(s);
    if (n.isEmpty()) {
      error(node, p, "`" + s + "` is not a duration", "e.g. 10s, 1m30s, 500ms");
      return null;
    }
    return n.getAsLong();
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

  private int line(Node node) {
    return node == null ? 0 : node.getStartMark().map(mk -> mk.getLine() + 1).orElse(0);
  }

  private int column(Node node) {
    return node == null ? 0 : node.getStartMark().map(mk -> mk.getColumn() + 1).orElse(0);
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
  private String lookup(String key, boolean fromEnvironment) {
    return fromEnvironment ? interpolator.variable(key) : "";
  }
}
