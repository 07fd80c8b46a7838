package io.keikomon.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.keikomon.api.AlertmanagerClient;
import io.keikomon.api.AlertmanagerModel.Matcher;
import io.keikomon.api.AlertmanagerModel.PostableSilence;
import io.keikomon.api.AlertmanagerModel.Silence;
import io.keikomon.api.PrometheusClient;
import io.keikomon.core.Component;
import io.keikomon.stack.StackAccess;
import io.keikomon.api.PrometheusModel.Sample;
import io.keikomon.cli.Services;
import io.keikomon.compose.ComposeLabels;
import io.keikomon.core.Workspace;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.dockerjava.DockerJavaConnector;
import io.keikomon.stack.StackLabels;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestImages;
import io.keikomon.testing.TestStacks;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * backup → down --volumes → restore on the real engine with the real (Debian-built) Prometheus and Alertmanager, one
 * stack shared by the ordered steps (Grafana is switched off here: its part is tested against the stand-in
 * elsewhere). The restore goes into an empty folder, so "restore FILE alone brings the project back" is what is
 * checked; the later steps work in that folder.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupRestoreDockerTest {
  final String project = "kmbak" + UUID.randomUUID().toString().substring(0, 6);
  DockerGateway docker;
  Path base;
  Path dir;
  Path restored;
  int prometheusPort;
  int alertmanagerPort;
  Path archive;
  Manifest manifest;
  /** A moment inside the backed-up data: the queries at it must answer the same after the restore. */
  Instant fixed;
  Map<String, Object> before;
  List<Silence> silencesBefore;

  @BeforeAll
  void setUp() throws IOException {
    docker = DockerJavaConnector.connect(TestWorkspaces.jimfs(System.getenv()));
    TestImages.ensureAll(docker);
    base = Files.createTempDirectory("keiko-backup-e2e");
    dir = Files.createDirectories(base.resolve("original"));
    restored = Files.createDirectories(base.resolve("fresh"));
    prometheusPort = freePort();
    alertmanagerPort = freePort();
    Files.writeString(dir.resolve("keiko.yml"), keikoYml(TestImages.imagesOverride()));
  }

  String keikoYml(String images) throws IOException {
    return """
        version: 1
        project: %s
        ports: {prometheus: %d, alertmanager: %d, grafana: %d, jaeger: %d, otlp_grpc: %d, otlp_http: %d}
        prometheus: {scrape_interval: 1s, evaluation_interval: 1s}
        components: {node-exporter: false, grafana: false}
        alerting: {none: true}
        """.formatted(project, prometheusPort, alertmanagerPort, freePort(), freePort(), freePort(), freePort())
        + images;
  }

  @AfterAll
  void tearDown() throws IOException {
    if (docker != null) {
      TestStacks.removeProject(docker, project);
      docker.close();
    }
    if (base != null) {
      TestStacks.deleteTree(base);
    }
  }

  CliHarness.Result keikoMon(Path in, String... args) {
    return TestStacks.keikoMon(in, args);
  }

  /**
   * Authenticated over TLS (security is on by default), with the secrets of the folder whose stack runs now: the
   * original one, then the empty folder restored from the archive (which has no secrets in it, so render made new
   * passwords and certificates there).
   */
  PrometheusClient prometheus() {
    return new PrometheusClient(access().direct(Component.PROMETHEUS, "127.0.0.1", prometheusPort).build());
  }

  AlertmanagerClient alertmanager() {
    return new AlertmanagerClient(access().direct(Component.ALERTMANAGER, "127.0.0.1", alertmanagerPort).build());
  }

  StackAccess access() {
    Path live = Files.exists(restored.resolve("monitoring")) ? restored : dir;
    return StackAccess.of(live.resolve("monitoring"));
  }

  /** What must survive: the series count and the raw samples of a window ending at {@link #fixed}. */
  Map<String, Object> queries() {
    Map<String, Object> q = new TreeMap<>();
    q.put("series", prometheus().query("count({__name__=~\".+\"})", fixed).samples().get(0).value());
    q.put("up[20s]", sorted(prometheus().query("up[20s]", fixed).samples()));
    q.put("scrape_duration[20s]", sorted(prometheus().query("scrape_duration_seconds[20s]", fixed).samples()));
    return q;
  }

  static List<String> sorted(List<Sample> samples) {
    return samples.stream().map(s -> new TreeMap<>(s.metric()) + "@" + s.time() + "=" + s.value()).sorted().toList();
  }

  List<String> activeSilences() {
    return alertmanager().silences().stream().filter(Silence::active)
        .map(s -> s.matchers() + "|" + s.comment() + "|" + s.endsAt().truncatedTo(ChronoUnit.MILLIS)).sorted().toList();
  }

  Map<String, String> containerIds() {
    Map<String, String> ids = new TreeMap<>();
    docker.listContainers(StackLabels.projectFilter(project)).forEach(c -> ids.put(c.label(ComposeLabels.SERVICE),
        c.id()));
    return ids;
  }

  @Test
  @Order(1)
  void aStackWithScrapedDataAndTwoSilences() throws Exception {
    CliHarness.Result up = keikoMon(dir, "up", "--timeout", "3m");
    assertEquals(0, up.exitCode(), up.toString());
    eventually("10 s of scraped data", Duration.ofSeconds(60), () -> {
      List<Sample> s = prometheus().query("count_over_time(up{job=\"prometheus\"}[1m])").samples();
      return !s.isEmpty() && Double.parseDouble(s.get(0).value()) >= 10;
    });
    Instant now = Instant.now();
    alertmanager().createSilence(new PostableSilence(null, List.of(Matcher.equal("alertname", "BackendDown")), now,
        now.plus(Duration.ofHours(2)), "e2e", "maintenance window"));
    alertmanager().createSilence(new PostableSilence(null, List.of(new Matcher("instance", "db-.*", true, true)),
        now.plus(Duration.ofMinutes(30)), now.plus(Duration.ofHours(3)), "e2e", "pending: starts later"));
    String expired = alertmanager().createSilence(new PostableSilence(null, List.of(Matcher.equal("job", "x")), now,
        now.plus(Duration.ofHours(1)), "e2e", "expired before the backup"));
    alertmanager().expireSilence(expired);
    fixed = Instant.now().minusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
    before = queries();
    silencesBefore = alertmanager().silences();
    assertFalse(((List<?>) before.get("up[20s]")).isEmpty(), before.toString());
  }

  @Test
  @Order(2)
  void backupWhileScrapingIsConsistentAndVerifies() {
    archive = base.resolve(project + ".tar.gz");
    CliHarness.Result r = keikoMon(dir, "backup", "--out", archive.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.err().contains("prometheus: snapshot "), r.toString());
    manifest = new ArchiveReader(archive).verify();
    assertEquals(List.of("config", "prometheus", "alertmanager"), manifest.parts());
    assertFalse(manifest.prometheus().blocks().isEmpty(), "the head is written as a block");
    assertTrue(manifest.prometheus().numSeries() > 10, manifest.prometheus().toString());
    assertEquals(2, manifest.alertmanager().silences().size(), manifest.alertmanager().toString());
    assertEquals(1, manifest.alertmanager().expiredSkipped());
    assertTrue(manifest.alertmanager().silences().stream().anyMatch(s -> s.matchers().equals(
        List.of("instance=~\"db-.*\""))), manifest.alertmanager().toString());
    assertTrue(manifest.entries().stream().anyMatch(e -> e.path().endsWith("/index")), "block index files");
    assertTrue(manifest.entries().stream().noneMatch(e -> e.path().contains("/wal/")), "a snapshot has no WAL");
    // the snapshot was removed from the container afterwards
    String prom = containerIds().get("prometheus");
    assertEquals("", docker.exec(prom, List.of("ls", "-A", "/prometheus/snapshots"), Duration.ofSeconds(20))
        .stdout().strip());

    CliHarness.Result verify = keikoMon(dir, "backup", "verify", archive.toString());
    assertEquals(0, verify.exitCode(), verify.toString());
    assertTrue(verify.out().contains(": ok, "), verify.toString());
    assertTrue(verify.out().contains("match the manifest; the throwaway project is removed"), verify.toString());
    assertEquals(List.of(project), docker.listContainers(Map.of()).stream()
        .map(c -> c.label(ComposeLabels.PROJECT)).filter(p -> p != null && p.startsWith(project)).distinct().toList(),
        "nothing of the throwaway project is left");
  }

  @Test
  @Order(3)
  void verifyFailsOnAnArchiveWhoseManifestWasDoctored() throws Exception {
    // checksums intact, but the manifest claims a series more than the snapshot holds
    Path doctored = base.resolve("doctored.tar.gz");
    Manifest.PrometheusSummary p = manifest.prometheus();
    List<Manifest.Block> blocks = new java.util.ArrayList<>(p.blocks());
    Manifest.Block b = blocks.get(0);
    blocks.set(0, new Manifest.Block(b.ulid(), b.minTime(), b.maxTime(), b.numSeries() + 1, b.numSamples()));
    try (java.io.OutputStream out = Files.newOutputStream(doctored); ArchiveWriter w = new ArchiveWriter(out, 0)) {
      new ArchiveReader(archive).extract(manifest, List.of(""), (e, in) ->
          w.add(e.name(), in, e.size(), e.mode(), e.uid(), e.gid()));
      w.finish(entries -> new Manifest(manifest.formatVersion(), manifest.keikoMonVersion(), manifest.project(),
          manifest.createdAt(), manifest.includesSecrets(), manifest.parts(), manifest.images(), manifest.output(),
          entries, new Manifest.PrometheusSummary(p.snapshot(), p.version(), blocks), manifest.grafana(),
          manifest.alertmanager()));
    }
    CliHarness.Result checksums = keikoMon(dir, "backup", "verify", "--checksums-only", doctored.toString());
    assertEquals(0, checksums.exitCode(), "its checksums are right:\n" + checksums);
    CliHarness.Result verify = keikoMon(dir, "backup", "verify", doctored.toString());
    assertEquals(1, verify.exitCode(), verify.toString());
    assertTrue(verify.err().contains("does not hold what its manifest says"), verify.toString());
    assertTrue(verify.err().contains("block " + b.ulid() + " restored as"), verify.toString());
  }

  @Test
  @Order(4)
  void downVolumesThenRestoreInAnEmptyFolderBringsEverythingBack() throws Exception {
    CliHarness.Result down = keikoMon(dir, "down", "--volumes");
    assertEquals(0, down.exitCode(), down.toString());
    assertTrue(docker.listVolumes(StackLabels.projectFilter(project)).stream()
        .noneMatch(v -> v.name().endsWith("prometheus-data")), "the data is gone");

    Path copy = restored.resolve("backup.tar.gz");
    Files.copy(archive, copy);
    CliHarness.Result r = keikoMon(restored, "restore", "backup.tar.gz");
    assertEquals(0, r.exitCode(), r.toString());

    assertEquals(Files.readString(dir.resolve("keiko.yml")), Files.readString(restored.resolve("keiko.yml")));
    eventually("Prometheus answers", Duration.ofSeconds(30), () -> {
      try {
        return prometheus().ready();
      } catch (RuntimeException e) {
        return false;
      }
    });
    assertEquals(before, queries(), "the same series count and samples over the window");
    assertEquals(silencesBefore.stream().filter(Silence::active)
        .map(s -> s.matchers() + "|" + s.comment() + "|" + s.endsAt().truncatedTo(ChronoUnit.MILLIS)).sorted()
        .toList(), activeSilences());
    assertEquals(2, alertmanager().silences().stream().filter(s -> !"expired".equals(s.status().state())).count(),
        "the active and the pending silence, not the expired one");
    for (Manifest.SilenceRef s : manifest.alertmanager().silences()) {
      assertTrue(r.out().contains("silence " + s.id() + " → "), "old → new id of " + s.id() + ":\n" + r);
    }
  }

  @Test
  @Order(5)
  void aCorruptTruncatedOrForeignArchiveChangesNothing() throws Exception {
    Map<String, String> ids = containerIds();
    String keikoYml = Files.readString(restored.resolve("keiko.yml"));
    byte[] good = Files.readAllBytes(archive);

    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x10;
    Files.write(restored.resolve("flipped.tar.gz"), flipped);
    Files.write(restored.resolve("cut.tar.gz"), java.util.Arrays.copyOf(good, good.length - 100));

    Path other = Files.createDirectories(base.resolve("other"));
    Files.writeString(other.resolve("keiko.yml"), "version: 1\nproject: " + project + "x\n"
        + "components: {node-exporter: false}\nalerting: {none: true}\n");
    Files.copy(archive, other.resolve("foreign.tar.gz"));

    for (Object[] c : new Object[][] {{restored, "flipped.tar.gz", "damaged"}, {restored, "cut.tar.gz", "truncated"},
        {other, "foreign.tar.gz", "is a backup of project " + project}}) {
      CliHarness.Result r = keikoMon((Path) c[0], "restore", (String) c[1], "--yes");
      assertEquals(3, r.exitCode(), r.toString());
      assertTrue(r.err().contains((String) c[2]), c[2] + ":\n" + r);
      assertTrue(r.err().contains("nothing was changed"), r.toString());
    }
    assertEquals(ids, containerIds(), "no container was touched");
    assertEquals(keikoYml, Files.readString(restored.resolve("keiko.yml")));
    assertEquals(before, queries());
    assertFalse(Files.exists(other.resolve("monitoring")));

    CliHarness.Result verify = keikoMon(restored, "backup", "verify", "flipped.tar.gz");
    assertEquals(3, verify.exitCode(), "verify fails on a doctored archive:\n" + verify);
  }

  @Test
  @Order(6)
  void withoutYesRestoreAsksBeforeReplacingData() {
    Map<String, String> ids = containerIds();
    CliHarness.Result dry = keikoMon(restored, "restore", "backup.tar.gz", "--dry-run");
    assertEquals(0, dry.exitCode(), dry.toString());
    assertTrue(dry.out().contains("replace Prometheus' data with the snapshot"), dry.toString());
    assertTrue(dry.out().contains("re-create the silences that have not ended: 2 of 2"), dry.toString());

    CliHarness.Result r = keikoMon(restored, "restore", "backup.tar.gz");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("everything written after it is gone"), r.toString());
    assertEquals(ids, containerIds());
  }

  @Test
  @Order(7)
  void aRestoreFailingMidwayIsRolledBack() throws Exception {
    Path keikoYml = restored.resolve("keiko.yml");
    String good = Files.readString(keikoYml);
    // an archive whose keiko.yml names a Prometheus image that exists nowhere: its `up` fails
    Files.writeString(keikoYml, good.replace(TestImages.Image.PROMETHEUS.tag(), "keiko-test/prometheus:missing"));
    CliHarness.Result bad = keikoMon(restored, "backup", "--only", "config", "--out", "bad.tar.gz");
    assertEquals(0, bad.exitCode(), bad.toString());
    Files.writeString(keikoYml, good);
    Map<String, String> ids = containerIds();
    long silences = alertmanager().silences().size();

    CliHarness.Result r = keikoMon(restored, "restore", "bad.tar.gz", "--yes");

    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.err().contains("restore failed at config"), r.toString());
    assertTrue(r.err().contains("rolled back"), r.toString());
    assertEquals(good, Files.readString(keikoYml), "keiko.yml is as before");
    assertEquals(ids, containerIds(), "the stack runs on as before");
    assertEquals(before, queries());
    assertEquals(silences, alertmanager().silences().size());
    try (Stream<Path> safety = Files.list(restored.resolve(SafetyBackup.DIR))) {
      assertNotEquals(0, safety.count(), "the safety backup is kept");
    }
  }

  static void eventually(String what, Duration timeout, Supplier<Boolean> check) throws InterruptedException {
    Instant until = Instant.now().plus(timeout);
    while (Instant.now().isBefore(until)) {
      if (check.get()) {
        return;
      }
      Thread.sleep(500);
    }
    fail("not within " + timeout + ": " + what);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
