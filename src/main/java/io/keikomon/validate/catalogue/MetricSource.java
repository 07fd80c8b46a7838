package io.keikomon.validate.catalogue;

import io.keikomon.config.KeikoConfig;
import java.util.EnumSet;
import java.util.Set;

/** Where metrics come from; each has a catalogue file {@code catalogue/<id>.txt} on the classpath. */
public enum MetricSource {
  BACKEND("backend", "always scraped"),
  PROMETHEUS("prometheus", "always on"),
  SYNTHETIC("synthetic", "made by Prometheus itself"),
  ALERTMANAGER("alertmanager", "components.alertmanager"),
  NODE_EXPORTER("node-exporter", "components.node-exporter"),
  POSTGRES_EXPORTER("postgres-exporter", "postgres.enabled"),
  REDIS_EXPORTER("redis-exporter", "redis.enabled"),
  BLACKBOX_EXPORTER("blackbox-exporter", "components.blackbox-exporter"),
  JAEGER("jaeger", "tracing.enabled");

  private final String id;
  private final String switchedBy;

  MetricSource(String id, String switchedBy) {
    this.id = id;
    this.switchedBy = switchedBy;
  }

  public String id() {
    return id;
  }

  /** The keiko.yml key that turns this source on or off. */
  public String switchedBy() {
    return switchedBy;
  }

  /** The sources whose component keiko.yml enables. */
  public static Set<MetricSource> enabled(KeikoConfig cfg) {
    Set<MetricSource> on = EnumSet.of(BACKEND, PROMETHEUS, SYNTHETIC);
    if (cfg.components().alertmanager()) {
      on.add(ALERTMANAGER);
    }
    if (cfg.components().nodeExporter()) {
      on.add(NODE_EXPORTER);
    }
    if (cfg.postgres().enabled()) {
      on.add(POSTGRES_EXPORTER);
    }
    if (cfg.redis().enabled()) {
      on.add(REDIS_EXPORTER);
    }
    if (cfg.components().blackboxExporter()) {
      on.add(BLACKBOX_EXPORTER);
    }
    if (cfg.tracing().enabled()) {
      on.add(JAEGER);
    }
    return on;
  }
}
