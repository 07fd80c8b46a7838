package io.keikomon.api;

import static io.keikomon.api.JsonApi.orEmpty;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Alertmanager's API v2 answers and request bodies as records (api/v2/openapi.yaml), with the fields keiko-mon uses.
 */
public final class AlertmanagerModel {
  private AlertmanagerModel() {
  }

  /** {@code /api/v2/status}: {@code config.original} is the loaded configuration, re-serialised with defaults. */
  public record Status(Cluster cluster, VersionInfo versionInfo, Config config, Instant uptime) {
  }

  /** {@code status} is "ready", "settling" or "disabled" (clustering off). */
  public record Cluster(String name, String status, List<Peer> peers) {
    public Cluster {
      peers = orEmpty(peers);
    }
  }

  public record Peer(String name, String address) {
  }

  public record VersionInfo(String version, String revision, String branch, String buildUser, String buildDate,
      String goVersion) {
  }

  public record Config(String original) {
  }

  /** An alert as {@code GET /api/v2/alerts} returns it. */
  public record Alert(Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt,
      Instant updatedAt, String generatorURL, String fingerprint, List<Receiver> receivers, AlertStatus status) {
    public Alert {
      labels = orEmpty(labels);
      annotations = orEmpty(annotations);
      receivers = orEmpty(receivers);
    }
  }

  /** {@code state} is "unprocessed", "active" or "suppressed"; the lists name the silences and inhibiting alerts. */
  public record AlertStatus(String state, List<String> silencedBy, List<String> inhibitedBy) {
    public AlertStatus {
      silencedBy = orEmpty(silencedBy);
      inhibitedBy = orEmpty(inhibitedBy);
    }
  }

  /** An alert to send; only {@code labels} is required (the rest may be null). */
  public record PostableAlert(Map<String, String> labels, Map<String, String> annotations, Instant startsAt,
      Instant endsAt, String generatorURL) {
    public PostableAlert {
      labels = Map.copyOf(labels);
    }

    public static PostableAlert of(Map<String, String> labels, Map<String, String> annotations) {
      return new PostableAlert(labels, annotations, null, null, null);
    }
  }

  public record Receiver(String name) {
  }

  /** A silence as {@code GET /api/v2/silences} returns it. */
  public record Silence(String id, SilenceStatus status, Instant updatedAt, List<Matcher> matchers, Instant startsAt,
      Instant endsAt, String createdBy, String comment) {
    public Silence {
      matchers = orEmpty(matchers);
    }

    public boolean active() {
      return status != null && "active".equals(status.state());
    }
  }

  /** "active", "pending" or "expired". */
  public record SilenceStatus(String state) {
  }

  /** {@code isEqual} false means "!=" (or "!~" with {@code isRegex}); older versions omit it (meaning true). */
  public record Matcher(String name, String value, @JsonProperty("isRegex") boolean isRegex,
      @JsonProperty("isEqual") Boolean isEqual) {
    public static Matcher equal(String name, String value) {
      return new Matcher(name, value, false, true);
    }
  }

  /** A silence to create (id null) or update (id set); Alertmanager refuses an end time in the past. */
  public record PostableSilence(String id, List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
      String comment) {
    public PostableSilence {
      matchers = List.copyOf(matchers);
    }
  }
}
