package io.keikomon.render;

import io.keikomon.config.KeikoConfig;
import io.keikomon.config.Secrets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders the whole output folder in memory. Pure: reads templates, writes nothing. */
public final class Renderer {
  private Renderer() {}

  /**
   * Renders every file the {@linkplain RenderPlan#standard() plan} produces for {@code cfg}, plus one file per
   * secret under {@code secrets/}. {@code templateOverrides} (the {@code templates/} folder next to keiko.yml)
   * may be missing. {@code secrets.grafanaAdminPassword()} must be set when Grafana is enabled
   * ({@link RenderService} keeps a generated one).
   */
  public static RenderedTree render(KeikoConfig cfg, Secrets secrets, Path templateOverrides) {
    TemplateEngine engine = new TemplateEngine(templateOverrides);
    Map<String, Object> model = RenderModel.build(cfg, secrets);
    Map<String, String> files = new LinkedHashMap<>();
    for (RenderPlan.Entry entry : RenderPlan.standard().entriesFor(cfg)) {
      files.put(entry.output(), engine.render(entry.template(), model));
    }
    for (SecretFile secret : SecretFile.forConfig(cfg, secrets)) {
      files.put(secret.file(), secret.content());
    }
    return new RenderedTree(files);
  }
}
