package io.keikomon.compose;

import io.keikomon.config.TextFile;
import io.keikomon.config.YamlLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Just the service names (and healthcheck commands) of a compose file: what status expects to find. Deliberately lenient (no
 * interpolation, no checks) so status still works on a file {@code up} would refuse.
 */
public final class ComposeServices {
  private ComposeServices() {}

  /** The names under {@code services:}, or none when the file does not exist or is not YAML. */
  public static List<String> read(Path file) {
    return new ArrayList<>(services(file).keySet());
  }

  /**
   * Each service's {@code healthcheck.test} in its list form ({@code CMD ...} or {@code CMD-SHELL ...}; a plain
   * string becomes {@code CMD-SHELL}); services without one, or with it disabled, are left out.
   */
  public static Map<String, List<String>> healthchecks(Path file) {
    Map<String, List<String>> tests = new LinkedHashMap<>();
    services(file).forEach((name, body) -> {
      if (body instanceof Map<?, ?> service && service.get("healthcheck") instanceof Map<?, ?> h
          && !Boolean.TRUE.equals(h.get("disable"))) {
        Object test = h.get("test");
        if (test instanceof String shell && !shell.isBlank()) {
          tests.put(name, List.of("CMD-SHELL", shell));
        } else if (test instanceof List<?> list && list.size() > 1
            && ("CMD".equals(list.get(0)) || "CMD-SHELL".equals(list.get(0)))) {
          tests.put(name, list.stream().map(String::valueOf).toList());
        }
      }
    });
    return tests;
  }

  private static Map<String, Object> services(Path file) {
    Map<String, Object> byName = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return byName;
    }
    Optional<String> text = TextFile.read(file, file.getFileName().toString()).text();
    if (text.isEmpty()) {
      return byName;
    }
    try {
      // Bounded first (the limits every YAML read gets), then loaded as plain maps and lists.
      YamlLimits.compose(text.get(), YamlLimits.settings(file.toString()).build());
      Object root = new Load(LoadSettings.builder().build()).loadFromString(text.get());
      if (root instanceof Map<?, ?> top && top.get("services") instanceof Map<?, ?> services) {
        services.forEach((k, v) -> byName.put(String.valueOf(k), v));
      }
      return byName;
    } catch (YamlEngineException | YamlLimits.Refused e) {
      return byName;
    }
  }
}
