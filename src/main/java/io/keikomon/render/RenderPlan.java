package io.keikomon.render;

import io.keikomon.config.KeikoConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which template makes which output file, and when. One entry per file; the template name is the output
 * path plus {@code .ftl}, so a user overrides {@code prometheus/prometheus.yml} by creating
 * {@code templates/prometheus/prometheus.yml.ftl} next to keiko.yml.
 */
public final class RenderPlan {

  /** One output file: rendered from {@code template} to {@code output} when {@code when} holds. */
  public record Entry(String template, String output, Predicate<KeikoConfig> when) {
    public static Entry always(String output) {
      return new Entry(output + ".ftl", output, cfg -> true);
    }

    public static Entry when(String output, Predicate<KeikoConfig> when) {
      return new Entry(output + ".ftl", output, when);
    }
  }

  /** Path (relative to the output folder) of the compose file; other helpers rely on it. */
  public static final String COMPOSE_FILE = "docker-compose.monitoring.yml";

  /**
   * Path of the swarm-mode stack file ({@code docker stack deploy -c}); rendered instead of the compose file in
   * swarm mode, after every other file, because it names each config by a hash of its content.
   */
  public static final String STACK_FILE = "docker-stack.monitoring.yml";

  /** The file that describes the running stack for {@code cfg}'s mode. */
  public static String stackFile(KeikoConfig cfg) {
    return cfg.swarm() ? STACK_FILE : COMPOSE_FILE;
  }

  private static final List<Entry> STANDARD = List.of(
      Entry.when(COMPOSE_FILE, cfg -> !cfg.swarm()),
      Entry.when(STACK_FILE, KeikoConfig::swarm),
      Entry.always("prometheus/prometheus.yml"),
      Entry.when("prometheus/web.yml", cfg -> cfg.security().any()),
      Entry.always("prometheus/rules/recording.yml"),
      Entry.always("prometheus/rules/alerts.yml"),
      Entry.always("prometheus/tests/alerts.test.yml"),
      Entry.when("alertmanager/alertmanager.yml", cfg -> cfg.components().alertmanager()),
      Entry.when("alertmanager/web.yml", cfg -> cfg.components().alertmanager() && cfg.security().any()),
      Entry.when("node-exporter/web.yml", cfg -> cfg.components().nodeExporter() && cfg.security().any()),
      Entry.when("blackbox/blackbox.yml", cfg -> cfg.components().blackboxExporter()),
      Entry.when("jaeger/config.yaml", cfg -> cfg.tracing().enabled()),
      Entry.when("grafana/provisioning/datasources/datasources.yml", cfg -> cfg.components().grafana()),
      Entry.when("grafana/provisioning/dashboards/dashboards.yml", cfg -> cfg.components().grafana()),
      Entry.when("grafana/dashboards/backend.json", cfg -> cfg.components().grafana()),
      Entry.when("grafana/dashboards/infrastructure.json", cfg -> cfg.components().grafana()));

  /**
   * Folders the compose file mounts that may hold no rendered file yet; they are created so Docker does
   * not create them (as root) itself.
   */
  public static List<String> mountedFolders(KeikoConfig cfg) {
    return cfg.components().grafana() ? List.of("prometheus/rules", "grafana/dashboards") : List.of("prometheus/rules");
  }

  private final List<Entry> entries;

  private RenderPlan(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Everything keiko-mon can render. */
  public static RenderPlan standard() {
    return new RenderPlan(STANDARD);
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The entries whose condition holds for {@code cfg}, in plan order. */
  public List<Entry> entriesFor(KeikoConfig cfg) {
    List<Entry> chosen = new ArrayList<>();
    for (Entry e : entries) {
      if (e.when().test(cfg)) {
        chosen.add(e);
      }
    }
    return chosen;
  }
}
