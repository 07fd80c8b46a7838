package io.keikomon.doctor;

import io.keikomon.content.ScrapeJob;
import java.util.Set;

/** Which keiko.yml keys decide a scrape job's targets and path, so a fix names the key to change. */
final class ScrapeKeys {
  /** Jobs keiko-mon renders for its own components: their addresses are not keys a user sets. */
  private static final Set<String> COMPONENT_JOBS = Set.of(ScrapeJob.PROMETHEUS, ScrapeJob.ALERTMANAGER,
      ScrapeJob.GRAFANA, ScrapeJob.JAEGER, ScrapeJob.NODE, ScrapeJob.POSTGRES, ScrapeJob.REDIS, ScrapeJob.BLACKBOX);

  private ScrapeKeys() {
  }

  static boolean component(String job) {
    return COMPONENT_JOBS.contains(job);
  }

  /** The key listing the job's targets. */
  static String targets(String job) {
    return switch (job) {
      case ScrapeJob.BACKEND -> "backend.targets";
      case ScrapeJob.HEALTH -> "backend.health_url / backend.health_paths";
      default -> component(job) ? "components." + job + " (rendered by keiko-mon)"
          : "extra_targets (job " + job + ").targets";
    };
  }

  /** The key setting the job's metrics path. */
  static String metricsPath(String job) {
    return switch (job) {
      case ScrapeJob.BACKEND -> "backend.metrics_path";
      case ScrapeJob.HEALTH -> "backend.health_paths";
      default -> component(job) ? "the rendered prometheus.yml (job " + job + ")"
          : "extra_targets (job " + job + ").metrics_path";
    };
  }
}
