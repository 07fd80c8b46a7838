package io.keikomon.content;

import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.config.Secrets;
import io.keikomon.render.RenderedTree;
import io.keikomon.render.Renderer;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Configurations and rendered trees for content tests; rendering goes through the real Renderer. */
final class ContentFixtures {
  /** The documentation's custom-metric example. */
  static final String CUSTOM_METRICS = """
      custom_metrics:
        - {name: custom_operations_total, type: counter, help: "Custom operations", labels: [operation]}
        - {name: custom_duration_seconds, type: histogram, help: "Custom duration"}
      """;

  private ContentFixtures() {}

  static KeikoConfig defaults() {
    return ConfigLoader.defaults();
  }

  /** keiko.yml with {@code yaml} over the defaults. */
  static KeikoConfig config(String yaml) {
    return ConfigLoader.load(TestWorkspaces.withConfig("version: 1\n" + yaml)).config();
  }

  static RenderedTree render(KeikoConfig config) {
    Secrets secrets = new Secrets(Optional.of("test-grafana-password"), Optional.empty(), Optional.empty(),
        Optional.empty());
    return Renderer.render(config, secrets, null);
  }

  /** Writes the rendered tree into {@code dir} on the real file system (tools read it from there). */
  static Path writeTo(RenderedTree tree, Path dir) {
    try {
      for (Map.Entry<String, String> f : tree.files().entrySet()) {
        Path p = dir.resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.writeString(p, f.getValue());
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
