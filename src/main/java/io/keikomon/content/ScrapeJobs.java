package io.keikomon.content;

import io.keikomon.config.KeikoConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Scrape job names the content relies on; prometheus.yml must use the same names. Everything else in
 * the content selects by metric name and keeps the job label, so extra jobs work without changes.
 */
public final class ScrapeJobs {
  public static final String BACKEND = "keiko-backend";
  public static final String PROMETHEUS = "prometheus";
  public static final String ALERTMANAGER = "alertmanager";
  public static final String NODE_EXPORTER = "node-exporter";
  public static final String POSTGRES_EXPORTER = "postgres-exporter";
  public static final String REDIS_EXPORTER = "redis-exporter";
  public static final String BLACKBOX_EXPORTER = "blackbox-exporter";

  private ScrapeJobs() {}

  /** The monitoring stack's own jobs that are enabled in {@code config}. */
  static List<String> monitoringComponents(KeikoConfig config) {
    List<String> jobs = new ArrayList<>(List.of(PROMETHEUS));
    if (config.components().alertmanager()) {
      jobs.add(ALERTMANAGER);
    }
    if (config.components().nodeExporter()) {
      jobs.add(NODE_EXPORTER);
    }
    if (config.postgres().enabled()) {
      jobs.add(POSTGRES_EXPORTER);
    }
    if (config.redis().enabled()) {
      jobs.add(REDIS_EXPORTER);
    }
    if (config.components().blackboxExporter()) {
      jobs.add(BLACKBOX_EXPORTER);
    }
    return jobs;
  }
}
