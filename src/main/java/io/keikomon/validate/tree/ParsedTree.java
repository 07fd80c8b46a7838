package io.keikomon.validate.tree;

import io.keikomon.config.Problem;
import io.keikomon.render.RenderedTree;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An output folder whose YAML and JSON files have been parsed. Files that do not parse are absent from
 * {@link #docs()}; their syntax errors are in {@link #problems()}. {@code root} is how the folder is
 * named in messages ("monitoring"), so problems read {@code monitoring/prometheus/prometheus.yml:3:1: ...}.
 * Secret files are never parsed: a parse error could quote their content.
 */
public record ParsedTree(RenderedTree tree, String root, SortedMap<String, DocNode> docs, List<Problem> problems) {
  public ParsedTree {
    docs = Collections.unmodifiableSortedMap(new TreeMap<>(docs));
    problems = List.copyOf(problems);
  }

  public static ParsedTree parse(RenderedTree tree, String root) {
    TreeMap<String, DocNode> docs = new TreeMap<>();
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : tree.files().entrySet()) {
      String rel = e.getKey();
      if (RenderedTree.isSecret(rel) || (!Documents.isYaml(rel) && !Documents.isJson(rel))) {
        continue;
      }
      Documents.Parsed parsed = Documents.parse(display(root, rel), e.getValue());
      problems.addAll(parsed.problems());
      parsed.root().ifPresent(doc -> docs.put(rel, doc));
    }
    return new ParsedTree(tree, root, docs, problems);
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

  /** The name a problem in {@code rel} is reported under. */
  public String display(String rel) {
    return display(root, rel);
  }

  private static String display(String root, String rel) {
    return root.isEmpty() ? rel : root + "/" + rel;
  }
}
