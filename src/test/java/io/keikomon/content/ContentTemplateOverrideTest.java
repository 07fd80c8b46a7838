package io.keikomon.content;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.Secrets;
import io.keikomon.render.RenderedTree;
import io.keikomon.render.Renderer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content templates go through the user's templates/ folder like every other template. */
class ContentTemplateOverrideTest {
  private static String builtIn(String name) throws Exception {
    try (InputStream in = ContentTemplateOverrideTest.class.getResourceAsStream("/templates/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static RenderedTree render(Path overrides) {
    return Renderer.render(ContentFixtures.defaults(),
        new Secrets(Optional.of("pw"), Optional.empty(), Optional.empty(), Optional.empty()), overrides);
  }

  @Test
  void anOverriddenSharedDashboardLayoutChangesBothDashboards(@TempDir Path templates) throws Exception {
    Files.createDirectories(templates.resolve("lib"));
    Files.writeString(templates.resolve("lib/dashboard.ftl"),
        builtIn("lib/dashboard.ftl").replace("\"refresh\": \"30s\"", "\"refresh\": \"1m\""));

    RenderedTree tree = render(templates);

    assertTrue(tree.get("grafana/dashboards/backend.json").contains("\"refresh\": \"1m\""));
    assertTrue(tree.get("grafana/dashboards/infrastructure.json").contains("\"refresh\": \"1m\""));
  }

  @Test
  void anOverriddenAlertTemplateReplacesTheBuiltInOne(@TempDir Path templates) throws Exception {
    Files.createDirectories(templates.resolve("prometheus/rules"));
    Files.writeString(templates.resolve("prometheus/rules/alerts.yml.ftl"), builtIn("prometheus/rules/alerts.yml.ftl")
        .replace("<#list content.alertGroups as g>", "<#list content.alertGroups?filter(g -> g.name != \"keiko-host\") as g>"));

    String alerts = render(templates).get("prometheus/rules/alerts.yml");

    assertFalse(alerts.contains("HostHighCpuUsage"), alerts);
    assertTrue(alerts.contains("KeikoBackendDown"), alerts);
  }
}
