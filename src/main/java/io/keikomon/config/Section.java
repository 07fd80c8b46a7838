package io.keikomon.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One mapping of keiko.yml read as typed fields. Every read that fails adds a problem and returns a
 * harmless stand-in, so one pass finds every problem; the stand-ins never leave {@link ConfigLoader}
 * because any error stops the load. A section of the wrong kind reports once and then reads as empty.
 */
final class Section {
  private final List<Problem> problems;
  private final Node node;
  private final String path;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  private final boolean valid;

  Section(List<Problem> problems, Node node, String path, Set<String> keys) {
    this(problems, node, path, keys, true);
  }

  private Section(List<Problem> problems, Node node, String path, Set<String> keys, boolean report) {
    this.problems = problems;
    this.node = node;
    this.path = path;
    this.valid = node instanceof MappingNode;
    if (!valid) {
      if (report) {
        problems.add(YamlTree.error(node, path, "expected a mapping (key: value lines), got " + YamlTree.describe(node),
            mappingHint(node, path, keys)));
      }
      return;
    }
    for (NodeTuple t : ((MappingNode) node).getValue()) {
      String key = YamlTree.keyText(t);
      if (!keys.contains(key)) {
        problems.add(YamlTree.error(t.getKeyNode(), YamlTree.child(path, key), "unknown key",
            unknownKeyHint(key, path, keys)));
      } else {
        entries.putIfAbsent(key, t);
      }
    }
  }

  private static String mappingHint(Node node, String path, Set<String> keys) {
    if (node instanceof ScalarNode s && s.getValue().matches("[\\w-]+:\\S.*")) {
      return "put a space after the colon: \"" + s.getValue().replaceFirst(":", ": ") + "\"";
    }
    String example = keys.iterator().next() + ": ...";
    return path.isEmpty() ? "keiko.yml holds key: value lines such as " + example
        : "indent the keys of " + path + " below it, e.g. " + example;
  }

  private static String unknownKeyHint(String key, String path, Set<String> keys) {
    return DidYouMean.closest(key, keys).map(k -> "did you mean \"" + k + "\"?")
        .or(() -> elsewhere(key, path))
        .orElse("known keys here: " + String.join(", ", keys));
  }

  /**
   * A key that exists in another part of keiko.yml (e.g. "retention" written at the top level). Siblings
   * of the same family (alerts.cpu vs alerts.service_down) differ on purpose and are not suggested.
   */
  private static Optional<String> elsewhere(String key, String path) {
    String family = parentOf(path);
    List<String> parents = KeyHomes.parentsOf(key).stream().filter(p -> !parentOf(p).equals(family)).toList();
    return parents.isEmpty() ? Optional.empty()
        : Optional.of("\"" + key + "\" belongs under " + String.join(" or ", parents));
  }

  private static String parentOf(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? (path.isEmpty() ? "<root>" : "") : path.substring(0, dot);
  }

  List<Problem> problems() {
    return problems;
  }

  String pathOf(String key) {
    return YamlTree.child(path, key);
  }

  /** A problem with item {@code index} of the list under {@code key}. */
  void itemError(String key, int index, String message, String hint) {
    Node at = value(key) instanceof SequenceNode seq && index < seq.getValue().size()
        ? seq.getValue().get(index) : node;
    problems.add(YamlTree.error(at, pathOf(key) + "[" + index + "]", message, hint));
  }

  /** The value node of {@code key}, or null when absent. */
  Node value(String key) {
    NodeTuple t = entries.get(key);
    return t == null ? null : t.getValueNode();
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  void error(String key, String message, String hint) {
    Node at = value(key);
    problems.add(YamlTree.error(at == null ? node : at, pathOf(key), message, hint));
  }

  void warning(String key, String message, String hint) {
    Node at = value(key);
    problems.add(YamlTree.warning(at == null ? node : at, pathOf(key), message, hint));
  }

  /** The value of a required key; reports it missing (at the mapping) when absent. */
  private Node required(String key) {
    Node v = value(key);
    if (v == null && valid) {
      problems.add(YamlTree.error(node, pathOf(key), "missing required key", "add \"" + key + ": ...\""));
    }
    return v;
  }

  /** A nested mapping; below a section that is already wrong, reads as empty without more problems. */
  Section section(String key, Set<String> keys) {
    if (!valid) {
      return new Section(problems, node, pathOf(key), keys, false);
    }
    Node v = required(key);
    return new Section(problems, v == null ? emptyMapping() : v, pathOf(key), keys);
  }

  /** A non-empty string; numbers are accepted as their text since YAML users rarely quote them. */
  String string(String key) {
    Node v = required(key);
    if (v == null) {
      return "";
    }
    String s = scalarText(v, pathOf(key), "a string");
    if (s != null && s.isBlank()) {
      problems.add(YamlTree.error(v, pathOf(key), "must not be empty", null));
    }
    return s == null ? "" : s;
  }

  /** Like {@link #string} but absent or null means {@code fallback}, and empty is allowed. */
  String optionalString(String key, String fallback) {
    Node v = value(key);
    if (v == null || YamlTree.isNull(v)) {
      return fallback;
    }
    String s = scalarText(v, pathOf(key), "a string");
    return s == null ? fallback : s;
  }

  boolean bool(String key) {
    Node v = required(key);
    if (v == null) {
      return false;
    }
    if (v instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())) {
      return s.getValue().equalsIgnoreCase("true");
    }
    typeError(v, pathOf(key), "true or false");
    return false;
  }

  /** An integer, or {@code Long.MIN_VALUE} after a reported problem. */
  long integer(String key) {
    Node v = required(key);
    if (v == null) {
      return Long.MIN_VALUE;
    }
    if (v instanceof ScalarNode s && Tag.INT.equals(s.getTag())) {
      try {
        return parseInt(s.getValue());
      } catch (NumberFormatException e) {
        problems.add(YamlTree.error(v, pathOf(key), "number " + s.getValue() + " is too large", null));
        return Long.MIN_VALUE;
      }
    }
    typeError(v, pathOf(key), "an integer");
    return Long.MIN_VALUE;
  }

  /** A number that may be absent or null (meaning "not set"); NaN after a reported problem. */
  Double optionalNumber(String key) {
    Node v = value(key);
    if (v == null || YamlTree.isNull(v)) {
      return null;
    }
    if (v instanceof ScalarNode s && (Tag.INT.equals(s.getTag()) || Tag.FLOAT.equals(s.getTag()))) {
      try {
        double d = Double.parseDouble(s.getValue());
        if (Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException e) {
        // falls through to the type error below
      }
    }
    typeError(v, pathOf(key), "a number");
    return Double.NaN;
  }

  /** A list of strings; a single string is not silently turned into a list. */
  List<String> strings(String key) {
    Node v = required(key);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof SequenceNode seq)) {
      typeError(v, pathOf(key), "a list, e.g. [a, b]");
      return out;
    }
    List<Node> items = seq.getValue();
    for (int i = 0; i < items.size(); i++) {
      String s = scalarText(items.get(i), pathOf(key) + "[" + i + "]", "a string");
      out.add(s == null ? "" : s);
    }
    return out;
  }

  /** The items of a list (absent or null reads as empty). */
  List<Node> items(String key) {
    Node v = value(key);
    if (v == null || YamlTree.isNull(v)) {
      return List.of();
    }
    if (!(v instanceof SequenceNode seq)) {
      typeError(v, pathOf(key), "a list");
      return List.of();
    }
    return seq.getValue();
  }

  private String scalarText(Node v, String at, String expected) {
    if (v instanceof ScalarNode s && !Tag.NULL.equals(s.getTag()) && !Tag.BOOL.equals(s.getTag())) {
      return s.getValue();
    }
    typeError(v, at, expected);
    return null;
  }

  private void typeError(Node v, String at, String expected) {
    String hint = null;
    if (v instanceof ScalarNode s && Tag.BOOL.equals(s.getTag()) && expected.contains("string")) {
      hint = "quote it: \"" + s.getValue() + "\"";
    } else if (v instanceof ScalarNode s && Tag.STR.equals(s.getTag()) && !s.isPlain()
        && s.getValue().matches("-?\\d+(\\.\\d+)?|true|false")) {
      hint = "write it without quotes: " + s.getValue();
    } else if (YamlTree.isNull(v) && YamlTree.commentFollows(v)) {
      hint = "in YAML a # after a space starts a comment; quote the value, e.g. \"#keiko-alerts\"";
    }
    problems.add(YamlTree.error(v, at, "expected " + expected + ", got " + YamlTree.describe(v), hint));
  }

  private static long parseInt(String text) {
    String t = text.startsWith("+") ? text.substring(1) : text;
    if (t.startsWith("0x")) {
      return Long.parseLong(t.substring(2), 16);
    }
    if (t.startsWith("0o")) {
      return Long.parseLong(t.substring(2), 8);
    }
    return Long.parseLong(t);
  }

  private Node emptyMapping() {
    return new MappingNode(Tag.MAP, true, List.of(), org.snakeyaml.engine.v2.common.FlowStyle.BLOCK,
        node.getStartMark(), node.getEndMark());
  }
}
