package io.keikomon.validate.catalogue;

import io.keikomon.core.EditDistance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which series names exist, and who provides them. Built from the catalogue files of the enabled
 * sources, plus names the configuration adds (custom metrics, recording rules). Histograms expand to
 * their _bucket/_sum/_count series and summaries to the quantile series plus _sum/_count, because that
 * is what queries select.
 */
public final class MetricCatalogue {
  private final Map<String, String> enabled;
  private final Map<String, MetricSource> disabled;
  private final Set<String> counters;

  private MetricCatalogue(Map<String, String> enabled, Map<String, MetricSource> disabled, Set<String> counters) {
    this.enabled = enabled;
    this.disabled = disabled;
    this.counters = counters;
  }

  /** The bundled catalogue with {@code on} enabled; names of the other sources are remembered for hints. */
  public static MetricCatalogue bundled(Set<MetricSource> on) {
    Map<String, String> enabled = new LinkedHashMap<>();
    Map<String, MetricSource> disabled = new HashMap<>();
    Set<String> counters = new HashSet<>();
    for (Map.Entry<MetricSource, Map<String, String>> e : load().entrySet()) {
      for (String family : e.getValue().keySet()) {
        counters.addAll(counterSeries(family, e.getValue().get(family)));
        for (String series : series(family, e.getValue().get(family))) {
          if (on.contains(e.getKey())) {
            enabled.putIfAbsent(series, e.getKey().id());
          } else {
            disabled.putIfAbsent(series, e.getKey());
          }
        }
      }
    }
    return new MetricCatalogue(enabled, disabled, counters);
  }

  /** A copy that also knows {@code family} (of {@code type}), provided by {@code provider}. */
  public MetricCatalogue with(String family, String type, String provider) {
    Map<String, String> copy = new LinkedHashMap<>(enabled);
    for (String s : series(family, type)) {
      copy.putIfAbsent(s, provider);
    }
    Set<String> moreCounters = new HashSet<>(counters);
    moreCounters.addAll(counterSeries(family, type));
    return new MetricCatalogue(copy, disabled, moreCounters);
  }

  /** Who provides {@code name} among the enabled sources. */
  public Optional<String> provider(String name) {
    return Optional.ofNullable(enabled.get(name));
  }

  /** The disabled source that would provide {@code name}, if any. */
  public Optional<MetricSource> disabledProvider(String name) {
    return Optional.ofNullable(disabled.get(name));
  }

  /** The closest known name (edit distance at most a third of the name), for "did you mean". */
  public Optional<String> closest(String name) {
    String best = null;
    int bestDistance = Math.max(1, name.length() / 3) + 1;
    for (String candidate : enabled.keySet()) {
      if (Math.abs(candidate.length() - name.length()) >= bestDistance) {
        continue;
      }
      int d = EditDistance.levenshtein(name, candidate, bestDistance);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Whether {@code series} only ever grows: a counter, or the _bucket/_sum/_count series of a histogram or
   * summary. Comparing one without rate() or increase() is almost always a mistake.
   */
  public boolean isCounter(String series) {
    return counters.contains(series);
  }

  public int size() {
    return enabled.size();
  }

  static List<String> series(String family, String type) {
    return switch (type) {
      case "histogram" -> List.of(family + "_bucket", family + "_sum", family + "_count");
      case "summary" -> List.of(family, family + "_sum", family + "_count");
      default -> List.of(family);
    };
  }

  static List<String> counterSeries(String family, String type) {
    return switch (type) {
      case "counter" -> List.of(family);
      case "histogram" -> List.of(family + "_bucket", family + "_sum", family + "_count");
      case "summary" -> List.of(family + "_sum", family + "_count");
      default -> List.of();
    };
  }

  private static Map<MetricSource, Map<String, String>> load() {
    Map<MetricSource, Map<String, String>> all = new EnumMap<>(MetricSource.class);
    for (MetricSource s : MetricSource.values()) {
      String resource = "/catalogue/" + s.id() + ".txt";
      try (InputStream in = MetricCatalogue.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing " + resource + " in the keiko-mon jar");
        }
        all.put(s, parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return all;
  }

  /** Lines "<name> <type>"; '#' starts a comment. */
  static Map<String, String> parse(List<String> lines) {
    Map<String, String> families = new LinkedHashMap<>();
    for (String raw : lines) {
      String line = raw.replaceAll("#.*", "").trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+");
      families.put(parts[0], parts.length > 1 ? parts[1] : "untyped");
    }
    return families;
  }
}
