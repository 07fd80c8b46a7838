package io.keikomon.render;

import io.keikomon.config.ConfigLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The whole rendered tree for the default keiko.yml, file by file (src/test/resources/golden/default). */
class RenderGoldenTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/default");

  @Test
  void defaultConfigurationRendersTheExpectedTree() {
    RenderedTree tree = Renderer.render(ConfigLoader.defaults(), RenderFixtures.allSecrets(),
        RenderFixtures.security(ConfigLoader.defaults()), null);

    GoldenTree.assertMatches(GOLDEN, tree);
  }
}
