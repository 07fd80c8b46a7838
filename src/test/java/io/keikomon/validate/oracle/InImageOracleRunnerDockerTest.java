package io.keikomon.validate.oracle;

import io.keikomon.engine.dockerjava.DockerJavaConnector;
import io.keikomon.engine.DockerGateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.core.DockerUnavailableException;
import io.keikomon.testing.TestImages;
import io.keikomon.testing.TestWorkspaces;
import io.keikomon.validate.oracle.LocalOracleRunner;
import io.keikomon.validate.oracle.Tool;
import io.keikomon.validate.oracle.ToolRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/** promtool and amtool run inside the pinned images when the host has none. */
@Tag("docker")
class InImageOracleRunnerDockerTest {
  private static DockerGateway docker;
  private static KeikoConfig.Images images;

  @TempDir Path dir;

  @BeforeAll
  static void build() {
    docker = DockerJavaConnector.connect(TestWorkspaces.jimfs(Map.of()));
    TestImages.ensure(docker, TestImages.Image.PROMETHEUS);
    TestImages.ensure(docker, TestImages.Image.ALERTMANAGER);
    KeikoConfig.Images d = ConfigLoader.defaults().images();
    images = new KeikoConfig.Images(TestImages.Image.PROMETHEUS.tag(), TestImages.Image.ALERTMANAGER.tag(),
        d.grafana(), d.jaeger(), d.nodeExporter(), d.postgresExporter(), d.redisExporter(), d.blackboxExporter());
  }

  @AfterAll
  static void close() {
    docker.close();
  }

  private InImageOracleRunner runner() {
    return new InImageOracleRunner(() -> docker, () -> images);
  }

  @Test
  void promtoolChecksTheFolderInsideThePrometheusImage() throws Exception {
    Files.createDirectories(dir.resolve("prometheus/rules"));
    Files.writeString(dir.resolve("prometheus/prometheus.yml"),
        "global: {scrape_interval: 15s}\nrule_files: [rules/*.yml]\n");
    Files.writeString(dir.resolve("prometheus/rules/a.yml"),
        "groups:\n- name: g\n  rules:\n  - record: job:up:sum\n    expr: sum by (job) (up)\n");
    ToolRun run = runner().run(Tool.PROMTOOL, dir, List.of("check", "config", "prometheus/prometheus.yml"));
    ToolRun.Done done = assertInstanceOf(ToolRun.Done.class, run, run.toString());
    assertEquals(0, done.exitCode(), done.output());
    assertTrue(done.output().contains("1 rule files found"), done.output());
    assertEquals("promtool in " + TestImages.Image.PROMETHEUS.tag() + " (Docker)", done.via());
    assertEquals(List.of(), docker.listContainers(Map.of()).stream()
        .filter(c -> c.name().startsWith("keiko-validate-")).toList(), "the one-off container is removed");
  }

  @Test
  void brokenRuleFailsWithPromtoolsReason() throws Exception {
    Files.writeString(dir.resolve("bad.yml"), "groups:\n- name: g\n  rules:\n  - alert: X\n    expr: sum(\n");
    ToolRun.Done done = (ToolRun.Done) runner().run(Tool.PROMTOOL, dir, List.of("check", "rules", "bad.yml"));
    assertEquals(1, done.exitCode(), done.output());
    assertTrue(done.output().contains("bad.yml"), done.output());
  }

  @Test
  void amtoolChecksInsideTheAlertmanagerImage() throws Exception {
    Files.writeString(dir.resolve("alertmanager.yml"), "route: {receiver: none}\nreceivers: [{name: none}]\n");
    ToolRun.Done done = (ToolRun.Done) runner().run(Tool.AMTOOL, dir, List.of("check-config", "alertmanager.yml"));
    assertEquals(0, done.exitCode(), done.output());
    assertTrue(done.output().contains("SUCCESS"), done.output());
  }

  @Test
  void anImageThatCannotBePulledIsTriedOnceAndTheHintPointsAtImages() throws Exception {
    KeikoConfig.Images unpullable = new KeikoConfig.Images("127.0.0.1:1/keiko/prometheus:v1", images.alertmanager(),
        images.grafana(), images.jaeger(), images.nodeExporter(), images.postgresExporter(), images.redisExporter(),
        images.blackboxExporter());
    java.util.concurrent.atomic.AtomicInteger pulls = new java.util.concurrent.atomic.AtomicInteger();
    DockerGateway counting = (DockerGateway) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DockerGateway.class}, (proxy, method, args) -> {
          if (method.getName().equals("pullImage")) {
            pulls.incrementAndGet();
          }
          try {
            return method.invoke(docker, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    InImageOracleRunner runner = new InImageOracleRunner(() -> counting, () -> unpullable);
    for (int i = 0; i < 3; i++) {
      ToolRun.Unavailable u = (ToolRun.Unavailable) runner.run(Tool.PROMTOOL, dir, List.of("check", "config", "x"));
      assertTrue(u.reason().contains("could not pull 127.0.0.1:1/keiko/prometheus:v1"), u.reason());
      assertTrue(u.hint().contains("point keiko.yml `images:` at a mirror or a local tag"), u.hint());
    }
    assertEquals(1, pulls.get());
  }

  @Test
  void localToolWinsAndMissingEverythingSaysBothReasons() throws Exception {
    Files.writeString(dir.resolve("alertmanager.yml"), "route: {receiver: none}\nreceivers: [{name: none}]\n");
    FallbackOracleRunner onPath = new FallbackOracleRunner(new LocalOracleRunner(Map.of("PATH", "/usr/bin")), runner());
    ToolRun.Done local = (ToolRun.Done) onPath.run(Tool.AMTOOL, dir, List.of("check-config", "alertmanager.yml"));
    assertEquals("/usr/bin/amtool", local.via());

    FallbackOracleRunner nowhere = new FallbackOracleRunner(new LocalOracleRunner(Map.of("PATH", "/nonexistent")),
        new InImageOracleRunner(() -> {
          throw new DockerUnavailableException("no Docker Engine answered", "start it");
        }, () -> images));
    ToolRun.Unavailable u = (ToolRun.Unavailable) nowhere.run(Tool.AMTOOL, dir, List.of("check-config", "x"));
    assertTrue(u.reason().contains("amtool is not on PATH"), u.reason());
    assertTrue(u.reason().contains("no Docker Engine answered"), u.reason());
    assertTrue(u.hint().contains("start Docker"), u.hint());
  }
}
