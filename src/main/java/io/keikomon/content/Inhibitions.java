package io.keikomon.content;

import io.keikomon.config.KeikoConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Which alerts mute which. Two kinds: the critical rule of an alert mutes its own warning rule (same alert
 * name, same labels), and a broken dependency mutes the symptoms it causes in the backend. Every label in
 * an {@code equal} list is one both sides carry: the alert's own result labels, {@code instance} as
 * host:port on the backend's scrape job and on its probes (the probe job's relabelling), and the
 * {@link #STACK_LABEL} external label Prometheus adds to every alert it sends.
 */
final class Inhibitions {
  /** Prometheus' external label naming the stack (keiko.yml {@code project}); on every alert it sends. */
  static final String STACK_LABEL = "project";
  /** The backend alerts a failing dependency causes (besides failing health probes). */
  private static final String BACKEND_SYMPTOMS = "KeikoHighErrorRate|KeikoHighLatencyP95|KeikoHighApiErrorRate";
  /** Liveness says the process runs; it does not check dependencies, so a dependency never mutes it. */
  private static final String DEPENDENCY_PROBES = AvailabilityAlerts.NOT_LIVENESS;

  private Inhibitions() {}

  static List<InhibitRule> forConfig(KeikoConfig config) {
    List<InhibitRule> out = new ArrayList<>();
    // Every label a threshold alert's expression keeps: the warning and critical rule of one alert differ
    // only in severity, so these are equal exactly for "the same problem at a lower level".
    out.add(new InhibitRule("The critical rule of an alert mutes its own warning for the same target"
        + " (at 95 % CPU the 80 % warning adds nothing); other alerts of that host or job are not muted.",
        List.of("severity=\"critical\""), List.of("severity=\"warning\""),
        List.of("alertname", STACK_LABEL, "job", "instance", "mountpoint", config.backend().labels().route())));
    if (config.components().blackboxExporter()) {
      out.add(new InhibitRule("A backend that cannot be scraped also fails its health probes; the probe"
          + " instance is the backend's host:port.",
          List.of("alertname=\"KeikoBackendDown\""), List.of("alertname=\"KeikoHealthProbeFailing\""),
          List.of(STACK_LABEL, "instance")));
    }
    if (config.postgres().enabled()) {
      dependency(out, "PostgresDown", "PostgreSQL", config);
    }
    if (config.redis().enabled()) {
      dependency(out, "RedisDown", "Redis", config);
    }
    return out;
  }

  private static void dependency(List<InhibitRule> out, String alert, String what, KeikoConfig config) {
    String source = "alertname=\"" + alert + "\"";
    if (config.components().blackboxExporter()) {
      out.add(new InhibitRule("While " + what + " is down the backend's readiness probes fail because of it"
          + " (liveness does not depend on it and stays unmuted).",
          List.of(source), List.of("alertname=\"KeikoHealthProbeFailing\"", DEPENDENCY_PROBES), List.of(STACK_LABEL)));
    }
    out.add(new InhibitRule("While " + what + " is down the backend's errors and slow requests are its"
        + " consequence; " + alert + " is the one page.",
        List.of(source), List.of("alertname=~\"" + BACKEND_SYMPTOMS + "\""), List.of(STACK_LABEL)));
  }
}
