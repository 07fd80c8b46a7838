package io.keikomon.backup;

import io.keikomon.api.AlertmanagerClient;
import io.keikomon.api.PrometheusClient;
import io.keikomon.api.PrometheusModel.Sample;
import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.core.AtomicFiles;
import io.keikomon.core.Component;
import io.keikomon.core.Console;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.Workspace;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.ExecResult;
import io.keikomon.render.RenderPlan;
import io.keikomon.stack.Stack;
import io.keikomon.stack.StackRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The real check of {@code backup verify}: restores the archive's Prometheus and Alertmanager parts into a throwaway
 * project (its own name, free ports, no node-exporter, no Grafana, alerts going nowhere) in a temporary folder, asks
 * the restored services whether they hold what the manifest says (series and samples of the snapshot, the silences
 * by matchers), and removes the project again, volumes included.
 */
final class ThrowawayCheck {
  private final Console console;
  private final Supplier<DockerGateway> docker;
  private final Supplier<StackRuntime> runtime;
  private final RestoreService.StackStarter starter;
  private final Duration timeout;

  ThrowawayCheck(Console console, Supplier<DockerGateway> docker, Supplier<StackRuntime> runtime,
      RestoreService.StackStarter starter, Duration timeout) {
    this.console = console;
    this.docker = docker;
    this.runtime = runtime;
    this.starter = starter;
    this.timeout = timeout;
  }

  /** The mismatches found (empty when the restored services hold what the manifest says). */
  List<String> check(ArchiveReader archive, Manifest m, Workspace parent) {
    if (!m.has(Part.PROMETHEUS) && !m.has(Part.ALERTMANAGER)) {
      console.out("  throwaway restore: nothing to restore (no prometheus or alertmanager part)");
      return List.of();
    }
    String project = (m.project().length() > 40 ? m.project().substring(0, 40) : m.project()) + "-verify-"
        + UUID.randomUUID().toString().substring(0, 6);
    Path dir;
    try {
      dir = Files.createTempDirectory("keiko-verify");
      AtomicFiles.write(dir.resolve("keiko.yml"), throwawayConfig(archive, m, project), AtomicFiles.READABLE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Workspace ws = new Workspace(dir, parent.env(), parent.clock());
    KeikoConfig cfg = ConfigLoader.load(ws).config();
    Path out = dir.resolve(cfg.output());
    Supplier<Stack> stack = () -> runtime.get().find(project, out, out.resolve(RenderPlan.COMPOSE_FILE));
    console.out("  throwaway restore into project " + project + " (" + dir + ") ...");
    List<String> mismatches = new ArrayList<>();
    try {
      starter.up(ws);
      LiveStack access = new LiveStack(docker.get(), stack);
      if (m.has(Part.PROMETHEUS) && m.prometheus() != null) {
        PrometheusPart.restore(access, archive, m, timeout, console);
        ContainerDetails prom = access.running(Component.PROMETHEUS, "the check");
        mismatches.addAll(blocks(docker.get().exec(prom.id(), List.of("promtool", "tsdb", "list",
            PrometheusPart.DATA_DIR), Duration.ofMinutes(2)), m));
        mismatches.addAll(prometheus(access.prometheus(prom), m));
      }
      if (m.has(Part.ALERTMANAGER) && m.alertmanager() != null) {
        AlertmanagerClient am = access.alertmanager(access.running(Component.ALERTMANAGER, "the check"));
        Instant now = ws.clock().instant();
        List<AlertmanagerPart.Saved> saved = readSilences(archive, m);
        AlertmanagerPart.restore(am, AlertmanagerPart.plan(saved, List.of(), now), now);
        mismatches.addAll(alertmanager(am, m, now));
      }
    } finally {
      try {
        runtime.get().down(stack.get(), true, line -> { });
      } catch (RuntimeException e) {
        console.warn("could not remove the throwaway project " + project + ": " + e.getMessage()
            + " (`docker rm -f` its containers, `docker volume rm` its volumes)");
      }
      delete(dir);
    }
    return mismatches;
  }

  /** {@code promtool tsdb list} of the restored data folder: every block with the manifest's ULID, series, samples. */
  static List<String> blocks(ExecResult list, Manifest m) {
    if (list.exitCode() != 0) {
      return List.of("prometheus: `promtool tsdb list` failed in the restored container: " + list.output().strip());
    }
    Map<String, Manifest.Block> got = new LinkedHashMap<>();
    for (String line : list.stdout().lines().toList()) {
      String[] t = line.trim().split("\\s+");
      if (t.length >= 7 && t[0].matches("[0-9A-Z]{26}")) {
        try {
          got.put(t[0], new Manifest.Block(t[0], Long.parseLong(t[1]), Long.parseLong(t[2]), Long.parseLong(t[6]),
              Long.parseLong(t[4])));
        } catch (NumberFormatException e) {
          return List.of("prometheus: cannot read `promtool tsdb list`: " + line);
        }
      }
    }
    List<String> wrong = new ArrayList<>();
    for (Manifest.Block want : m.prometheus().blocks()) {
      Manifest.Block b = got.get(want.ulid());
      if (b == null) {
        wrong.add("prometheus: block " + want.ulid() + " is not in the restored data (promtool lists "
            + got.keySet() + ")");
      } else if (!b.equals(want)) {
        wrong.add("prometheus: block " + want.ulid() + " restored as " + b + ", the manifest says " + want);
      }
    }
    return wrong;
  }

  /**
   * Prometheus serves the snapshot: the series of its time range, counted by a query (samples are checked exactly by
   * {@link #blocks}: a query cannot count them, staleness markers are in a block's numSamples but never returned).
   */
  static List<String> prometheus(PrometheusClient p, Manifest m) {
    Manifest.PrometheusSummary s = m.prometheus();
    List<String> wrong = new ArrayList<>();
    if (s.blocks().isEmpty()) {
      return wrong;
    }
    // maxTime is exclusive; a range selector (t - r, t] at t = maxTime - 1 ms over the whole span sees every sample
    Instant at = Instant.ofEpochMilli(s.maxTime() - 1);
    long rangeMs = s.maxTime() - s.minTime() + 1;
    List<Sample> series = p.query("count(last_over_time({__name__=~\".+\"}[" + rangeMs + "ms]))", at).samples();
    long gotSeries = series.isEmpty() ? 0 : new BigDecimal(series.get(0).value()).longValueExact();
    long maxBlock = s.blocks().stream().mapToLong(Manifest.Block::numSeries).max().orElse(0);
    boolean seriesOk = s.blocks().size() == 1 ? gotSeries == s.numSeries()
        : gotSeries >= maxBlock && gotSeries <= s.numSeries();
    if (!seriesOk) {
      wrong.add("prometheus: " + gotSeries + " series restored, the manifest says " + s.numSeries()
          + (s.blocks().size() == 1 ? "" : " over " + s.blocks().size() + " blocks (at least " + maxBlock + ")"));
    }
    return wrong;
  }

  static List<String> alertmanager(AlertmanagerClient am, Manifest m, Instant now) {
    Set<String> want = new TreeSet<>();
    m.alertmanager().silences().stream().filter(s -> Instant.parse(s.endsAt()).isAfter(now))
        .forEach(s -> want.add(String.join(",", s.matchers())));
    Set<String> got = new TreeSet<>();
    am.silences().stream().filter(s -> s.status() == null || !"expired".equals(s.status().state()))
        .forEach(s -> got.add(String.join(",", s.matchers().stream().map(AlertmanagerPart::matcher).toList())));
    return want.equals(got) ? List.of()
        : List.of("alertmanager: restored silences " + got + ", the manifest says " + want);
  }

  private static List<AlertmanagerPart.Saved> readSilences(ArchiveReader archive, Manifest m) {
    List<AlertmanagerPart.Saved> out = new ArrayList<>();
    archive.extract(m, List.of(AlertmanagerPart.FILE), (e, in) -> out.addAll(AlertmanagerPart.read(in.readAllBytes())));
    return out;
  }

  /** The archive's keiko.yml with its own project and free ports, no node-exporter, no Grafana, no notifications. */
  @SuppressWarnings("unchecked")
  static byte[] throwawayConfig(ArchiveReader archive, Manifest m, String project) throws IOException {
    byte[][] original = new byte[1][];
    if (m.has(Part.CONFIG)) {
      archive.extract(m, List.of(ConfigPart.KEIKO_YML), (e, in) -> original[0] = in.readAllBytes());
    }
    Map<String, Object> yml = new LinkedHashMap<>();
    if (original[0] != null) {
      Object doc = new Load(LoadSettings.builder().build()).loadFromString(new String(original[0],
          StandardCharsets.UTF_8));
      if (doc instanceof Map<?, ?> map) {
        yml.putAll((Map<String, Object>) map);
      }
    }
    yml.putIfAbsent("version", 1);
    yml.put("project", project);
    yml.remove("output");
    Map<String, Object> ports = new LinkedHashMap<>();
    for (String key : List.of("prometheus", "alertmanager", "grafana", "jaeger", "otlp_grpc", "otlp_http")) {
      ports.put(key, freePort());
    }
    yml.put("ports", ports);
    Map<String, Object> components = new LinkedHashMap<>();
    if (yml.get("components") instanceof Map<?, ?> c) {
      components.putAll((Map<String, Object>) c);
    }
    components.put("node-exporter", false); // it binds the host's port 9100, which the real stack holds
    components.put("grafana", false);
    components.put("alertmanager", m.has(Part.ALERTMANAGER));
    yml.put("components", components);
    yml.put("alerting", Map.of("none", true));
    return new Dump(DumpSettings.builder().build()).dumpToString(yml).getBytes(StandardCharsets.UTF_8);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new OperationFailedException("no free port for the throwaway project: " + e.getMessage(),
          "run `keiko-mon backup verify --checksums-only`");
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder; the system cleans it up eventually
    }
  }
}
