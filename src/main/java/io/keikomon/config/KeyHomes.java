package io.keikomon.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/** Where each key of the embedded default lives, for hinting at a key written at the wrong level. */
final class KeyHomes {
  private static final Map<String, List<String>> PARENTS = index();

  private KeyHomes() {}

  /** Dotted paths of the mappings holding {@code key} in the default ("" for the top level is left out). */
  static List<String> parentsOf(String key) {
    return PARENTS.getOrDefault(key, List.of());
  }

  private static Map<String, List<String>> index() {
    Map<String, List<String>> parents = new HashMap<>();
    collect(ConfigLoader.defaultTree(), "", parents);
    return parents;
  }

  private static void collect(Node node, String path, Map<String, List<String>> parents) {
    if (!(node instanceof MappingNode m)) {
      return;
    }
    for (NodeTuple t : m.getValue()) {
      String key = YamlTree.keyText(t);
      if (!path.isEmpty()) {
        parents.computeIfAbsent(key, k -> new ArrayList<>()).add(path);
      }
      collect(t.getValueNode(), YamlTree.child(path, key), parents);
    }
  }
}
