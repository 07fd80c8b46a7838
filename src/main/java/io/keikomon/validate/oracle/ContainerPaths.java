package io.keikomon.validate.oracle;

import io.keikomon.validate.tree.DocNode;
import io.keikomon.validate.tree.ParsedTree;
import io.keikomon.validate.tree.TreeLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps paths as the containers see them (/etc/prometheus/rules) back to files of the output folder,
 * using the bind mounts of the compose file. The oracles run on the host, where a rendered
 * prometheus.yml's {@code rule_files: [/etc/prometheus/rules/*.yml]} would match nothing and promtool
 * would happily report "valid" without looking at a single rule; rewriting those paths relative to
 * the config file makes promtool load exactly the files the container will load.
 */
public final class ContainerPaths {
  /** Used when the compose file is absent or mounts nothing from the folder. */
  private static final Map<String, String> FALLBACK = Map.of(
      "/etc/prometheus", "prometheus", "/etc/alertmanager", "alertmanager");

  private final Map<String, String> mounts; // container path -> folder-relative path
  /** Any container path, the longest first (so /etc/prometheus/rules wins over /etc/prometheus), compiled once. */
  private final Pattern containerPath;

  private ContainerPaths(Map<String, String> mounts) {
    this.mounts = mounts;
    List<String> byLength = new ArrayList<>(mounts.keySet());
    byLength.sort(Comparator.comparingInt(String::length).reversed());
    this.containerPath = Pattern.compile("(?:" + String.join("|", byLength.stream().map(Pattern::quote).toList())
        + ")(?=[/'\"\\s,\\]]|$)", Pattern.MULTILINE);
  }

  public static ContainerPaths of(ParsedTree tree) {
    Map<String, String> mounts = new LinkedHashMap<>();
    if (tree.docs().get(TreeLayout.COMPOSE) instanceof DocNode.Mapping compose) {
      compose.mapping("services").ifPresent(services -> services.entries().values().forEach(svc -> {
        if (svc instanceof DocNode.Mapping s) {
          for (DocNode v : s.sequence("volumes")) {
            bind(v, mounts);
          }
        }
      }));
      // file secrets: /run/secrets/<name> in every service that lists it (web configs name certificates there)
      compose.mapping("secrets").ifPresent(secrets -> secrets.entries().forEach((name, def) -> {
        if (def instanceof DocNode.Mapping d) {
          d.text("file").filter(f -> f.startsWith("./"))
              .ifPresent(f -> mounts.put("/run/secrets/" + name, stripSlash(f.substring(2))));
        }
      }));
    }
    return new ContainerPaths(mounts.isEmpty() ? FALLBACK : mounts);
  }

  private static void bind(DocNode volume, Map<String, String> mounts) {
    String source = null;
    String target = null;
    if (volume instanceof DocNode.Scalar s) {
      String[] parts = s.text().split(":");
      if (parts.length >= 2) {
        source = parts[0];
        target = parts[1];
      }
    } else if (volume instanceof DocNode.Mapping m) {
      source = m.text("source").orElse(null);
      target = m.text("target").orElse(null);
    }
    if (source != null && target != null && source.startsWith("./")) {
      mounts.put(stripSlash(target), stripSlash(source.substring(2)));
    }
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** {@code content} of folder file {@code rel}, with container paths made relative to that file. */
  public String rewrite(String rel, String content) {
    String parent = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')) : "";
    return containerPath.matcher(content)
        .replaceAll(m -> Matcher.quoteReplacement(relative(parent, mounts.get(m.group()))));
  }

  /** Path of {@code target} as seen from folder {@code from} (both relative to the output folder). */
  static String relative(String from, String target) {
    List<String> a = from.isEmpty() ? List.of() : List.of(from.split("/"));
    List<String> b = List.of(target.split("/"));
    int common = 0;
    while (common < a.size() && common < b.size() && a.get(common).equals(b.get(common))) {
      common++;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = common; i < a.size(); i++) {
      sb.append("../");
    }
    sb.append(String.join("/", b.subList(common, b.size())));
    return sb.length() == 0 ? "." : sb.toString();
  }
}
