package io.keikomon.validate.tree;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.keikomon.config.Problem;
import io.keikomon.config.TextFile;
import io.keikomon.config.YamlLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Parses YAML and JSON files into {@link DocNode}s, turning syntax errors into positioned problems. */
public final class Documents {
  /** The same bounds as for YAML (Jackson's defaults allow 1000 levels, which the tree walkers recurse into). */
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(YamlLimits.MAX_DEPTH)
          .maxStringLength(YamlLimits.MAX_SCALAR).maxDocumentLength(TextFile.MAX_BYTES).build())
      .build();

  private Documents() {}

  /** The outcome of parsing one file: a root (absent when the file does not parse) and what went wrong. */
  public record Parsed(Optional<DocNode> root, List<Problem> problems) {
    public Parsed {
      problems = List.copyOf(problems);
    }
  }

  public static boolean isYaml(String file) {
    return file.endsWith(".yml") || file.endsWith(".yaml");
  }

  public static boolean isJson(String file) {
    return file.endsWith(".json");
  }

  public static Parsed parse(String file, String content) {
    return isJson(file) ? parseJson(file, content) : parseYaml(file, content);
  }

  public static Parsed parseYaml(String file, String content) {
    List<Problem> problems = new ArrayList<>();
    try {
      Optional<Node> node = YamlLimits.compose(content, YamlLimits.settings(file).build());
      CodePoints text = new CodePoints(content);
      DocNode root = node.map(n -> fromYaml(file, text, n, problems))
          .orElse(new DocNode.Scalar("", DocNode.Scalar.Kind.NULL, 1, 1, ""));
      return new Parsed(Optional.of(root), problems);
    } catch (YamlLimits.Refused e) {
      problems.add(e.problem(file));
    } catch (MarkedYamlEngineException e) {
      Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
      String what = e.getProblem() == null ? e.getMessage() : e.getProblem();
      String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      problems.add(Problem.error(file, m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1, "",
          "invalid YAML: " + what + context, "fix the YAML syntax at this position"));
    } catch (YamlEngineException e) {
      problems.add(Problem.error(file, 1, 1, "", "invalid YAML: " + e.getMessage(), "fix the YAML syntax"));
    }
    return new Parsed(Optional.empty(), problems);
  }

  private static DocNode fromYaml(String file, CodePoints content, Node node, List<Problem> problems) {
    int line = node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    int col = node.getStartMark().map(m -> m.getColumn() + 1).orElse(1);
    if (node instanceof MappingNode map) {
      Map<String, DocNode> entries = new LinkedHashMap<>();
      for (NodeTuple t : map.getValue()) {
        String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(t.getKeyNode());
        if (entries.containsKey(key)) {
          int kl = t.getKeyNode().getStartMark().map(m -> m.getLine() + 1).orElse(line);
          int kc = t.getKeyNode().getStartMark().map(m -> m.getColumn() + 1).orElse(col);
          problems.add(Problem.error(file, kl, kc, key, "duplicate key",
              "keep one of the entries; Prometheus and Alertmanager reject duplicate keys"));
        }
        entries.put(key, fromYaml(file, content, t.getValueNode(), problems));
      }
      return new DocNode.Mapping(entries, line, col);
    }
    if (node instanceof SequenceNode seq) {
      List<DocNode> items = new ArrayList<>();
      for (Node n : seq.getValue()) {
        items.add(fromYaml(file, content, n, problems));
      }
      return new DocNode.Sequence(items, line, col);
    }
    ScalarNode s = (ScalarNode) node;
    Tag tag = s.getTag();
    DocNode.Scalar.Kind kind = Tag.NULL.equals(tag) ? DocNode.Scalar.Kind.NULL
        : Tag.BOOL.equals(tag) ? DocNode.Scalar.Kind.BOOLEAN
        : Tag.INT.equals(tag) || Tag.FLOAT.equals(tag) ? DocNode.Scalar.Kind.NUMBER
        : DocNode.Scalar.Kind.STRING;
    return new DocNode.Scalar(s.getValue(), kind, line, col, source(content, node));
  }

  /**
   * The node's text as written; marks count code points, Java strings count UTF-16 units. Counting from the
   * start of the file for every scalar made validate quadratic in the file's size (20k extra targets: minutes),
   * so the two only differ when the file holds characters outside the BMP, and then a table maps them.
   */
  private static String source(CodePoints content, Node node) {
    if (node.getStartMark().isEmpty() || node.getEndMark().isEmpty()) {
      return "";
    }
    return content.substring(node.getStartMark().get().getIndex(), node.getEndMark().get().getIndex());
  }

  /** A string indexed by code point in constant time. */
  private static final class CodePoints {
    private final String text;
    private int[] charIndex; // code point index -> char index; only built when some character needs two chars

    CodePoints(String text) {
      this.text = text;
      if (text.codePoints().count() != text.length()) {
        charIndex = new int[text.codePointCount(0, text.length()) + 1];
        for (int cp = 0, i = 0; i < text.length(); cp++) {
          charIndex[cp] = i;
          i += Character.charCount(text.codePointAt(i));
        }
        charIndex[charIndex.length - 1] = text.length();
      }
    }

    String substring(int fromCodePoint, int toCodePoint) {
      return charIndex == null ? text.substring(fromCodePoint, toCodePoint)
          : text.substring(charIndex[fromCodePoint], charIndex[toCodePoint]);
    }
  }

  public static Parsed parseJson(String file, String content) {
    List<Problem> problems = new ArrayList<>();
    try (JsonParser p = JSON.createParser(content)) {
      try {
        return parseJson(file, content, p, problems);
      } catch (StreamConstraintsException e) {
        JsonLocation at = p.currentLocation(); // the exception itself carries no location
        problems.add(Problem.error(file, at.getLineNr(), at.getColumnNr(), "",
            "over a limit: " + e.getOriginalMessage().replaceFirst(", from `[^`]*`\\)", ")"),
            "no keiko-mon file nests this deep or holds values this long; is this the right file?"));
        return new Parsed(Optional.empty(), problems);
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      problems.add(Problem.error(file, at == null ? 1 : at.getLineNr(), at == null ? 1 : at.getColumnNr(), "",
          "invalid JSON: " + e.getOriginalMessage(), "fix the JSON syntax at this position"));
      return new Parsed(Optional.empty(), problems);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Parsed parseJson(String file, String content, JsonParser p, List<Problem> problems)
      throws IOException {
    JsonToken first = p.nextToken();
    if (first == null) {
      problems.add(Problem.error(file, 1, 1, "", "invalid JSON: the file is empty", "render the file again"));
      return new Parsed(Optional.empty(), problems);
    }
    DocNode root = fromJson(file, content, p, problems);
    JsonToken trailing = p.nextToken();
    if (trailing != null) {
      JsonLocation at = p.currentTokenLocation();
      problems.add(Problem.error(file, at.getLineNr(), at.getColumnNr(), "",
          "invalid JSON: unexpected content after the end of the document", "remove it"));
      return new Parsed(Optional.empty(), problems);
    }
    return new Parsed(Optional.of(root), problems);
  }

  private static DocNode fromJson(String file, String content, JsonParser p, List<Problem> problems)
      throws IOException {
    JsonLocation at = p.currentTokenLocation();
    int line = at.getLineNr();
    int col = at.getColumnNr();
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, DocNode> entries = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          JsonLocation keyAt = p.currentTokenLocation();
          p.nextToken();
          if (entries.containsKey(key)) {
            problems.add(Problem.warning(file, keyAt.getLineNr(), keyAt.getColumnNr(), key,
                "duplicate key; only the last one counts", "remove the other entry"));
          }
          entries.put(key, fromJson(file, content, p, problems));
        }
        return new DocNode.Mapping(entries, line, col);
      }
      case START_ARRAY -> {
        List<DocNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(fromJson(file, content, p, problems));
        }
        return new DocNode.Sequence(items, line, col);
      }
      case VALUE_STRING -> {
        String text = p.getText(); // reads the whole string, so the location below is past it
        int start = (int) at.getCharOffset();
        int end = (int) p.currentLocation().getCharOffset();
        String source = start >= 0 && end >= start && end <= content.length() ? content.substring(start, end) : "";
        return new DocNode.Scalar(text, DocNode.Scalar.Kind.STRING, line, col, source);
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new DocNode.Scalar(p.getText(), DocNode.Scalar.Kind.NUMBER, line, col, p.getText());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new DocNode.Scalar(p.getText(), DocNode.Scalar.Kind.BOOLEAN, line, col, p.getText());
      }
      default -> {
        return new DocNode.Scalar("", DocNode.Scalar.Kind.NULL, line, col, "null");
      }
    }
  }
}
