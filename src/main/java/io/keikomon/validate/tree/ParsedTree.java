package io.keikomon.validate.tree;

import io.keikomon.config.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A {@link RenderedTree} whose YAML and JSON files have been parsed. Files that do not parse are absent
 * from {@link #docs()}; their syntax errors are in {@link #problems()}.
 */
public record ParsedTree(RenderedTree tree, SortedMap<String, DocNode> docs, List<Problem> problems) {
  public ParsedTree {
    docs = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(docs));
    problems = List.copyOf(problems);
  }

  public static ParsedTree parse(RenderedTree tree) {
    TreeMap<String, DocNode> docs = new TreeMap<>();
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : tree.files().entrySet()) {
      String rel = e.getKey();
      if (!Documents.isYaml(rel) && !Documents.isJson(rel)) {
        continue;
      }
      Documents.Parsed parsed = Documents.parse(tree.display(rel), e.getValue());
      problems.addAll(parsed.problems());
      parsed.root().ifPresent(root -> docs.put(rel, root));
    }
    return new ParsedTree(tree, docs, problems);
  }

  /** Parsed documents whose relative path starts with {@code folder} and ends with one of {@code suffixes}. */
  public SortedMap<String, DocNode> under(String folder, String... suffixes) {
    TreeMap<String, DocNode> out = new TreeMap<>();
    docs.forEach((rel, doc) -> {
      if (rel.startsWith(folder)) {
        for (String s : suffixes) {
          if (rel.endsWith(s)) {
            out.put(rel, doc);
          }
        }
      }
    });
    return out;
  }

  public String display(String rel) {
    return tree.display(rel);
  }
}
