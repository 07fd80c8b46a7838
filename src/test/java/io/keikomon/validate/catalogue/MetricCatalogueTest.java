package io.keikomon.validate.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricCatalogueTest {
  private final MetricCatalogue all = MetricCatalogue.bundled(EnumSet.allOf(MetricSource.class));

  @Test
  void histogramsExpandToTheirSeriesAndSummariesKeepTheirName() {
    assertEquals(List.of("h_bucket", "h_sum", "h_count"), MetricCatalogue.series("h", "histogram"));
    assertEquals(List.of("s", "s_sum", "s_count"), MetricCatalogue.series("s", "summary"));
    assertEquals(Optional.of("backend"), all.provider("http_request_duration_seconds_bucket"));
    assertEquals(Optional.empty(), all.provider("http_request_duration_seconds"));
  }

  @Test
  void scrapedExporterNamesArePresent() {
    for (String name : List.of("node_cpu_seconds_total", "node_memory_MemAvailable_bytes", "pg_up",
        "pg_stat_database_xact_commit", "redis_keyspace_hits_total", "probe_success", "prometheus_tsdb_head_series",
        "alertmanager_notifications_failed_total", "up", "ALERTS", "otelcol_receiver_accepted_spans")) {
      assertTrue(all.provider(name).isPresent(), name);
    }
  }

  @Test
  void enabledSourcesFollowKeikoYml() {
    KeikoConfig d = ConfigLoader.defaults();
    assertEquals(EnumSet.allOf(MetricSource.class), MetricSource.enabled(d));
    KeikoConfig noDb = new KeikoConfig(d.version(), d.project(), d.output(), d.bind(), d.ports(), d.images(),
        d.prometheus(), d.backend(), new KeikoConfig.Postgres(false, "h", 5432, "db", "u", "disable"),
        new KeikoConfig.Redis(false, "h:6379"), new KeikoConfig.Tracing(false, "72h"), d.components(), d.security(),
        d.alerting(), d.alerts(), d.extraTargets(), d.customMetrics(), d.resources(), d.mode(), d.ha(), d.federation());
    assertEquals(false, MetricSource.enabled(noDb).contains(MetricSource.POSTGRES_EXPORTER));
    assertEquals(false, MetricSource.enabled(noDb).contains(MetricSource.REDIS_EXPORTER));
    assertEquals(false, MetricSource.enabled(noDb).contains(MetricSource.JAEGER));
  }

  @Test
  void closestNameIsOfferedOnlyWhenClose() {
    assertEquals(Optional.of("http_requests_total"), all.closest("http_request_total"));
    assertEquals(Optional.empty(), all.closest("completely_unrelated_thing"));
  }
}
