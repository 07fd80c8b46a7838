package io.keikomon.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

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
    try {
      Object root = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
      if (root instanceof Map<?, ?> top && top.get("services") instanceof Map<?, ?> services) {
        List<String> names = new ArrayList<>();
        services.keySet().forEach(k -> names.add(String.valueOf(k)));
        return names;
      }
      return List.of();
    } catch (YamlEngineException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
