package io.keikomon.validate.check;

import io.keikomon.validate.tree.DocNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rules of a parsed Prometheus rule file, with the positions of their expressions. */
final class RuleDocs {
  /** {@code path} is the key path of {@code expr}, e.g. {@code groups[0].rules[3].expr}. */
  record Rule(String name, boolean record, String path, DocNode.Scalar expr, Map<String, String> labels) {
    Rule {
      labels = Map.copyOf(labels);
    }
  }

  private RuleDocs() {
  }

  static List<Rule> rules(DocNode doc) {
    List<Rule> out = new ArrayList<>();
    if (!(doc instanceof DocNode.Mapping root)) {
      return out;
    }
    List<DocNode> groups = root.sequence("groups");
    for (int g = 0; g < groups.size(); g++) {
      if (!(groups.get(g) instanceof DocNode.Mapping group)) {
        continue;
      }
      List<DocNode> rules = group.sequence("rules");
      for (int i = 0; i < rules.size(); i++) {
        if (rules.get(i) instanceof DocNode.Mapping rule
            && rule.get("expr").orElse(null) instanceof DocNode.Scalar expr) {
          boolean record = rule.text("record").isPresent();
          String name = rule.text("record").or(() -> rule.text("alert")).orElse("#" + (i + 1));
          Map<String, String> labels = new LinkedHashMap<>();
          rule.mapping("labels").ifPresent(m -> m.entries().forEach((k, v) -> {
            if (v instanceof DocNode.Scalar s) {
              labels.put(k, s.text());
            }
          }));
          out.add(new Rule(name, record, "groups[" + g + "].rules[" + i + "].expr", expr, labels));
        }
      }
    }
    return out;
  }
}
