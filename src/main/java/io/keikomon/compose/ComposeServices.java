package io.keikomon.compose;

import io.keikomon.config.TextFile;
import io.keikomon.config.YamlLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Just the service names of a compose file: what status expects to find. Deliberately lenient (no
 * interpolation, no checks) so status still works on a file {@code up} would refuse.
 */
public final class ComposeServices {
  private ComposeServices() {}

  /** The names under {@code services:}, or none when the file does not exist or is not YAML. */
  public static List<String> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    Optional<String> text = TextFile.read(file, file.getFileName().toString()).text();
    if (text.isEmpty()) {
      return List.of();
    }
    try {
      Optional<Node> root = YamlLimits.compose(text.get(), YamlLimits.settings(file.toString()).build());
      if (root.orElse(null) instanceof MappingNode top) {
        for (NodeTuple t : top.getValue()) {
          if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("services")
              && t.getValueNode() instanceof MappingNode services) {
            List<String> names = new ArrayList<>();
            for (NodeTuple s : services.getValue()) {
              if (s.getKeyNode() instanceof ScalarNode name) {
                names.add(name.getValue());
              }
            }
            return names;
          }
        }
      }
      return List.of();
    } catch (YamlEngineException | YamlLimits.Refused e) {
      return List.of();
    }
  }
}
