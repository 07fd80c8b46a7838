package io.keikomon.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}, the archive's last entry: what the archive holds and the SHA-256 of every other entry, so a
 * reader can tell a complete, untouched archive of the right project from anything else.
 *
 * @param createdAt RFC 3339 UTC, when the backup started
 * @param includesSecrets true when .env and the secrets folder are in it (the file is then 0600)
 * @param images the image each service runs, from keiko.yml
 * @param entries every entry but the manifest, in archive order
 */
public record Manifest(int formatVersion, String keikoMonVersion, String project, String createdAt,
    boolean includesSecrets, List<String> parts, Map<String, String> images, String output, List<Entry> entries,
    PrometheusSummary prometheus, GrafanaSummary grafana, AlertmanagerSummary alertmanager) {

  public static final int FORMAT_VERSION = 1;
  public static final String FILE = "manifest.json";

  static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("instants")
          .addSerializer(java.time.Instant.class, new com.fasterxml.jackson.databind.ser.std.ToStringSerializer())
          .addDeserializer(java.time.Instant.class,
              new com.fasterxml.jackson.databind.deser.std.FromStringDeserializer<java.time.Instant>(
                  java.time.Instant.class) {
                @Override
                protected java.time.Instant _deserialize(String value,
                    com.fasterxml.jackson.databind.DeserializationContext ctx) {
                  return java.time.OffsetDateTime.parse(value).toInstant();
                }
              }));

  public Manifest {
    parts = List.copyOf(parts);
    images = images == null ? Map.of() : Map.copyOf(images);
    entries = entries == null ? List.of() : List.copyOf(entries);
  }

  /** One entry: its path in the archive, its size in bytes and the lower-case hex SHA-256 of its content. */
  public record Entry(String path, long size, String sha256) {
  }

  /**
   * The snapshot's blocks, as their meta.json says.
   *
   * @param replica in swarm mode the replica the snapshot is of ({@code prometheus.1}: the service and task slot;
   *     each replica scrapes on its own, so another one's data differs), null for the one Prometheus of compose mode
   */
  public record PrometheusSummary(String snapshot, String version, List<Block> blocks, String replica) {
    public PrometheusSummary {
      blocks = List.copyOf(blocks);
    }

    public PrometheusSummary(String snapshot, String version, List<Block> blocks) {
      this(snapshot, version, blocks, null);
    }

    public long numSeries() {
      return blocks.stream().mapToLong(Block::numSeries).sum();
    }

    public long numSamples() {
      return blocks.stream().mapToLong(Block::numSamples).sum();
    }

    public long minTime() {
      return blocks.stream().mapToLong(Block::minTime).min().orElse(0);
    }

    public long maxTime() {
      return blocks.stream().mapToLong(Block::maxTime).max().orElse(0);
    }
  }

  /** A TSDB block: times in milliseconds since the epoch, maxTime exclusive. */
  public record Block(String ulid, long minTime, long maxTime, long numSeries, long numSamples) {
  }

  public record GrafanaSummary(List<FolderRef> folders, List<DashboardRef> dashboards) {
    public GrafanaSummary {
      folders = List.copyOf(folders);
      dashboards = List.copyOf(dashboards);
    }
  }

  public record FolderRef(String uid, String title, String parentUid) {
  }

  public record DashboardRef(String uid, String title, Integer version, String folderUid, boolean provisioned) {
  }

  /** The silences kept (active and pending) and how many expired ones were left out. */
  public record AlertmanagerSummary(List<SilenceRef> silences, int expiredSkipped) {
    public AlertmanagerSummary {
      silences = List.copyOf(silences);
    }
  }

  public record SilenceRef(String id, String state, List<String> matchers, String endsAt) {
    public SilenceRef {
      matchers = List.copyOf(matchers);
    }
  }

  /** {@link #createdAt} in seconds since the epoch (the time stamped on extracted files). */
  public long createdAtSeconds() {
    return java.time.Instant.parse(createdAt).getEpochSecond();
  }

  public boolean has(Part part) {
    return parts.contains(part.id());
  }

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the manifest", e);
    }
  }

  static Manifest parse(byte[] json) throws IOException {
    return JSON.readValue(json, Manifest.class);
  }
}
