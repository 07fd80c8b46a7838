package io.keikomon.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.NodeType;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * YAML as a node tree that keeps each node's position, so every problem can say where it is.
 * Uses the Compose API: values are typed by the YAML 1.2 core schema but never converted, so the
 * mapper sees exactly what the user wrote.
 */
final class YamlTree {
  private YamlTree() {}

  /** The document's root node (empty for an empty or comment-only file), or the parse problems. */
  record Parsed(Optional<Node> root, List<Problem> problems) {
    /** True when the text is not YAML at all, so there is no tree to check further. */
    boolean malformed() {
      return root.isEmpty() && !problems.isEmpty();
    }
  }

  static Parsed parse(String text, String label) {
    LoadSettings settings = YamlLimits.settings(label)
        .setSchema(new CoreSchema())
        .setAllowDuplicateKeys(false) // only the constructing API checks it; duplicates are found below
        .setUseMarks(true)
        .build();
    Optional<Node> root;
    try {
      root = YamlLimits.compose(text, settings);
    } catch (YamlLimits.Refused e) {
      return new Parsed(Optional.empty(), List.of(e.problem(label)));
    } catch (MarkedYamlEngineException e) {
      return new Parsed(Optional.empty(), List.of(malformed(e, text, label)));
    } catch (YamlEngineException e) {
      return new Parsed(Optional.empty(), List.of(Problem.error(label, 0, 0, "",
          "malformed YAML: " + e.getMessage(), "check the file is plain UTF-8 YAML")));
    }
    if (root.isPresent() && isNull(root.get())) {
      root = Optional.empty();
    }
    List<Problem> problems = new ArrayList<>();
    root.ifPresent(r -> findDuplicateKeys(r, "", problems));
    return new Parsed(root, problems);
  }

  /**
   * The parser's complaint at its position, named by the key the broken line belongs to. When the
   * file ends inside something (an unclosed quote or bracket), the place it was opened is the useful one.
   */
  private static Problem malformed(MarkedYamlEngineException e, String text, String label) {
    Optional<Mark> problem = e.getProblemMark();
    Optional<Mark> context = e.getContextMark();
    String what = e.getProblem() == null ? "not valid YAML" : e.getProblem().strip();
    String within = e.getContext() == null ? "" : e.getContext().strip();
    // An unclosed quote or bracket is noticed far from where it was opened; the opening is what to fix.
    boolean unclosed = context.isPresent() && (within.contains("quoted") || within.contains("flow sequence")
        || within.contains("flow mapping"));
    Optional<Mark> at = unclosed ? context : problem.or(() -> context);
    if (unclosed) {
      what = what + " (" + within + " opened here" + problem.filter(p -> p.getLine() != context.get().getLine())
          .map(p -> "; noticed at line " + (p.getLine() + 1) + ", column " + (p.getColumn() + 1)).orElse("") + ")";
    } else if (!within.isEmpty()) {
      what = what + " (" + within + ")";
    }
    String hint = what.contains("TAB") ? "indent with spaces, not tabs"
        : within.contains("quoted") ? "close the quote opened here"
        : within.contains("flow sequence") ? "close the [ opened here with ]"
        : within.contains("flow mapping") ? "close the { opened here with }"
        : "check indentation, colons and quotes at this position";
    int line = at.map(m -> m.getLine() + 1).orElse(0);
    return Problem.error(label, line, at.map(m -> m.getColumn() + 1).orElse(0), keyPathAt(text, line),
        "malformed YAML: " + what, hint);
  }

  private static final java.util.regex.Pattern KEY_LINE =
      java.util.regex.Pattern.compile("^( *)((?:- +)?)([A-Za-z0-9_.-]+) *:(?: |$).*");

  /**
   * The dotted key path a line of (possibly broken) YAML belongs to, judged by indentation alone: good
   * enough to name the key near a syntax error, which the parser cannot do.
   */
  static String keyPathAt(String text, int line) {
    record Key(int indent, String name) {}
    java.util.ArrayDeque<Key> stack = new java.util.ArrayDeque<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < Math.min(line, lines.length); i++) {
      java.util.regex.Matcher m = KEY_LINE.matcher(lines[i]);
      if (!m.matches()) {
        continue;
      }
      int indent = m.group(1).length() + m.group(2).length();
      while (!stack.isEmpty() && stack.peek().indent() >= indent) {
        stack.pop();
      }
      stack.push(new Key(indent, m.group(3)));
    }
    List<String> names = new ArrayList<>();
    stack.descendingIterator().forEachRemaining(k -> names.add(k.name()));
    return String.join(".", names);
  }

  /**
   * {@code user} laid over {@code base}: mappings merge key by key, everything else (lists, scalars,
   * a value of another kind) replaces. Positions stay those of whichever file the value came from.
   */
  static Node overlay(Node base, Node user) {
    if (!(base instanceof MappingNode b) || !(user instanceof MappingNode u)) {
      return user;
    }
    Map<String, NodeTuple> userByKey = new LinkedHashMap<>();
    for (NodeTuple t : u.getValue()) {
      userByKey.putIfAbsent(keyText(t), t);
    }
    List<NodeTuple> merged = new ArrayList<>();
    for (NodeTuple t : b.getValue()) {
      NodeTuple mine = userByKey.remove(keyText(t));
      merged.add(mine == null ? t
          : new NodeTuple(mine.getKeyNode(), overlay(t.getValueNode(), mine.getValueNode())));
    }
    merged.addAll(userByKey.values());
    return new MappingNode(Tag.MAP, true, merged, u.getFlowStyle(), u.getStartMark(), u.getEndMark());
  }

  static String keyText(NodeTuple t) {
    return t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
  }

  static boolean isNull(Node n) {
    return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
  }

  /**
   * True when a comment follows {@code n} on its line: an empty value followed by "#..." is usually a
   * value such as a Slack channel that should have been quoted. Reads the parser's buffer around the
   * node, which always holds the rest of a short line.
   */
  static boolean commentFollows(Node n) {
    return n.getStartMark().map(m -> {
      int[] buffer = m.getBuffer();
      for (int i = m.getPointer(); i < buffer.length && buffer[i] != '\n'; i++) {
        if (buffer[i] == '#') {
          return true;
        }
      }
      return false;
    }).orElse(false);
  }

  static boolean isFromFile(Node n, String label) {
    return n.getStartMark().map(m -> label.equals(m.getName())).orElse(false);
  }

  static Problem error(Node at, String path, String message, String hint) {
    return at(Problem.Severity.ERROR, at, path, message, hint);
  }

  static Problem warning(Node at, String path, String message, String hint) {
    return at(Problem.Severity.WARNING, at, path, message, hint);
  }

  private static Problem at(Problem.Severity severity, Node at, String path, String message, String hint) {
    Optional<Mark> m = at.getStartMark();
    return new Problem(severity, m.map(Mark::getName).orElse("keiko.yml"), m.map(x -> x.getLine() + 1).orElse(0),
        m.map(x -> x.getColumn() + 1).orElse(0), path, message, hint);
  }

  /** {@code keiko.yml:4:3}, for naming a second place in a message. */
  static String position(Node n) {
    return n.getStartMark().map(m -> m.getName() + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1))
        .orElse("?");
  }

  /** How a node reads to a user: "the string \"abc\"", "a list", ... */
  static String describe(Node n) {
    if (n.getNodeType() == NodeType.MAPPING) {
      return "a mapping";
    }
    if (n.getNodeType() == NodeType.SEQUENCE) {
      return "a list";
    }
    ScalarNode s = (ScalarNode) n;
    Tag t = s.getTag();
    if (Tag.NULL.equals(t)) {
      return "nothing (null)";
    }
    if (Tag.BOOL.equals(t)) {
      return "the boolean " + s.getValue();
    }
    if (Tag.INT.equals(t) || Tag.FLOAT.equals(t)) {
      return "the number " + s.getValue();
    }
    return "the string \"" + s.getValue() + "\"";
  }

  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static void findDuplicateKeys(Node n, String path, List<Problem> problems) {
    if (n instanceof MappingNode m) {
      Map<String, Node> seen = new HashMap<>();
      for (NodeTuple t : m.getValue()) {
        String key = keyText(t);
        Node first = seen.putIfAbsent(key, t.getKeyNode());
        if (first != null) {
          problems.add(error(t.getKeyNode(), child(path, key), "duplicate key (first at " + position(first) + ")",
              "keep one of them; YAML does not merge repeated keys"));
        } else {
          findDuplicateKeys(t.getValueNode(), child(path, key), problems);
        }
      }
    } else if (n.getNodeType() == NodeType.SEQUENCE) {
      List<Node> items = ((org.snakeyaml.engine.v2.nodes.SequenceNode) n).getValue();
      for (int i = 0; i < items.size(); i++) {
        findDuplicateKeys(items.get(i), path + "[" + i + "]", problems);
      }
    }
  }
}
