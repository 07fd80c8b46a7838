package io.keikomon.render;

import io.keikomon.core.Async;
import io.keikomon.config.KeikoConfig;
import io.keikomon.config.Secrets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Renders the whole output folder in memory. Pure: reads templates, writes nothing. */
public final class Renderer {
  private Renderer() {}

  /**
   * Renders every file the {@linkplain RenderPlan#standard() plan} produces for {@code cfg}, plus one file per
   * secret under {@code secrets/}. {@code templateOverrides} (the {@code templates/} folder next to keiko.yml)
   * may be missing. {@code secrets.grafanaAdminPassword()} must be set when Grafana is enabled
   * ({@link RenderService} keeps a generated one).
   */
  public static RenderedTree render(KeikoConfig cfg, Secrets secrets, SecurityMaterial security,
      Path templateOverrides) {
    return render(new TemplateEngine(templateOverrides), cfg, secrets, security);
  }

  /**
   * With throwaway {@linkplain SecurityMaterial#ephemeral security material} (fresh passwords and CA): for renders
   * that are only inspected, never run.
   */
  public static RenderedTree render(KeikoConfig cfg, Secrets secrets, Path templateOverrides) {
    return render(cfg, secrets, SecurityMaterial.ephemeral(cfg), templateOverrides);
  }

  static RenderedTree render(TemplateEngine engine, KeikoConfig cfg, Secrets secrets, SecurityMaterial security) {
    Map<String, Object> model = RenderModel.build(cfg, secrets, security);
    List<RenderPlan.Entry> mine = new ArrayList<>();
    List<RenderPlan.Entry> helpers = new ArrayList<>();
    RenderPlan.Entry stackFile = null;
    for (RenderPlan.Entry entry : RenderPlan.standard().entriesFor(cfg)) {
      if (entry.output().equals(RenderPlan.STACK_FILE)) {
        stackFile = entry; // last: it names the configs by their rendered content
        continue;
      }
      (mine.size() <= helpers.size() ? mine : helpers).add(entry);
    }
    // The templates are independent and rendering them is CPU-bound: a second core takes half of them.
    CompletableFuture<Map<String, String>> helper = CompletableFuture.supplyAsync(() -> renderAll(engine, helpers, model));
    Map<String, String> files = renderAll(engine, mine, model);
    files.putAll(Async.join(helper));
    for (SecretFile secret : SecretFile.forConfig(cfg, secrets, security)) {
      files.put(secret.file(), secret.content());
    }
    if (stackFile != null) {
      Map<String, Object> withObjects = new java.util.LinkedHashMap<>(model);
      withObjects.put("swarmObjects", SwarmObjects.of(files).model());
      files.put(stackFile.output(), engine.render(stackFile.template(), withObjects));
    }
    return new RenderedTree(files);
  }

  private static Map<String, String> renderAll(TemplateEngine engine, List<RenderPlan.Entry> entries,
      Map<String, Object> model) {
    Map<String, String> files = new HashMap<>();
    for (RenderPlan.Entry entry : entries) {
      files.put(entry.output(), engine.render(entry.template(), model));
    }
    return files;
  }
}
