package io.keikomon.up;

import io.keikomon.compose.ComposeParserTest;
import io.keikomon.compose.ComposeLabels;
import io.keikomon.compose.ComposeModel;
import io.keikomon.compose.ComposeParser;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerState;
import io.keikomon.stack.StackLabels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.up.Plan.Action;
import io.keikomon.up.ReconcilePlanner.Desired;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReconcilePlannerTest {
  Path dir;
  Path composeFile;

  @BeforeEach
  void renderedTree() throws IOException {
    composeFile = ComposeParserTest.renderedTree();
    dir = composeFile.getParent();
  }

  ComposeModel model() throws IOException {
    return new ComposeParser(Map.of()).parse(composeFile, "c.yml", Files.readString(composeFile), "keiko").model();
  }

  static Map<String, Desired> desired(ComposeModel m) {
    Map<String, Desired> d = new HashMap<>();
    m.services().values().forEach(s -> d.put(s.name(),
        new Desired(ServiceHashes.spec(m, s), ServiceHashes.config(m, s), "sha256:" + s.image(),
            ServiceHashes.fixedConfig(m, s))));
    return d;
  }

  /** Containers as the previous up would have left them: labels stamped from {@code m}, all running. */
  static List<ContainerDetails> running(ComposeModel m) {
    List<ContainerDetails> out = new ArrayList<>();
    Map<String, Desired> d = desired(m);
    for (ComposeModel.Service s : m.services().values()) {
      out.add(container("id-" + s.name(), s.containerName(), "sha256:" + s.image(),
          StackLabels.container(m, s.name(), d.get(s.name()).specHash(), d.get(s.name()).configHash(),
              d.get(s.name()).fixedConfigHash()), true));
    }
    return out;
  }

  static ContainerDetails container(String id, String name, String imageId, Map<String, String> labels, boolean running) {
    ContainerState state = new ContainerState(running ? "running" : "exited", running, 0, false,
        Instant.EPOCH, null, null, "");
    return new ContainerDetails(id, name, "img", imageId, labels, state, List.of(), List.of(), Instant.EPOCH);
  }

  static Map<String, Action> actions(Plan p) {
    Map<String, Action> a = new HashMap<>();
    p.steps().forEach(s -> a.put(s.service(), s.action()));
    return a;
  }

  @Test
  void nothingRunningCreatesEverything() throws IOException {
    ComposeModel m = model();
    Plan p = ReconcilePlanner.plan(m, desired(m), List.of(), Map.of());
    assertEquals(Map.of("prometheus", Action.CREATE, "alertmanager", Action.CREATE, "grafana", Action.CREATE,
        "node-exporter", Action.CREATE), actions(p));
    assertTrue(p.removals().isEmpty());
  }

  @Test
  void sameFileAndFilesKeepsEverything() throws IOException {
    ComposeModel m = model();
    Plan p = ReconcilePlanner.plan(m, desired(m), running(m), Map.of());
    assertTrue(p.unchanged(), p.toString());
    assertEquals("id-prometheus", p.step("prometheus").containerId());
  }

  @Test
  void ruleFileChangeReloadsPrometheusOnly() throws IOException {
    ComposeModel before = model();
    List<ContainerDetails> observed = running(before);
    Files.writeString(dir.resolve("prometheus/rules/a.yml"), "groups: [{name: x, rules: []}]\n");
    ComposeModel m = model();
    Plan p = ReconcilePlanner.plan(m, desired(m), observed, Map.of());
    assertEquals(Map.of("prometheus", Action.RELOAD, "alertmanager", Action.KEEP, "grafana", Action.KEEP,
        "node-exporter", Action.KEEP), actions(p));
    assertEquals("id-prometheus", p.step("prometheus").containerId());
  }

  @Test
  void afterALiveReloadTheLedgerHashCountsNotTheLabel() throws IOException {
    ComposeModel before = model();
    List<ContainerDetails> observed = running(before);
    Files.writeString(dir.resolve("prometheus/rules/a.yml"), "groups: [{name: x, rules: []}]\n");
    ComposeModel m = model();
    String applied = ServiceHashes.config(m, m.service("prometheus"));
    assertTrue(ReconcilePlanner.plan(m, desired(m), observed, Map.of("id-prometheus", applied)).unchanged());
    assertEquals(Action.RELOAD, ReconcilePlanner.plan(m, desired(m), observed, Map.of("id-other", applied))
        .step("prometheus").action(), "an entry for another container does not count");
  }

  @Test
  void aNewRuleFileIsAConfigChangeToo() throws IOException {
    ComposeModel m = model();
    List<ContainerDetails> observed = running(m);
    Files.writeString(dir.resolve("prometheus/rules/b.yml"), "groups: []\n");
    assertEquals(Action.RELOAD, ReconcilePlanner.plan(m, desired(m), observed, Map.of()).step("prometheus").action());
  }

  /** The fixture's Grafana with its provisioning mounted, as the rendered compose file has it. */
  ComposeModel withGrafanaProvisioning() throws IOException {
    Files.createDirectories(dir.resolve("grafana/provisioning/datasources"));
    Files.writeString(dir.resolve("grafana/provisioning/datasources/datasources.yml"), "datasources: []\n");
    Files.writeString(composeFile, Files.readString(composeFile).replace("volumes: [grafana-data:/var/lib/grafana]",
        "volumes: [grafana-data:/var/lib/grafana, ./grafana/provisioning:/etc/grafana/provisioning:ro]"));
    return model();
  }

  @Test
  void grafanaProvisioningChangeIsReloadedThroughItsApi() throws IOException {
    ComposeModel m = withGrafanaProvisioning();
    List<ContainerDetails> observed = running(m);
    Files.writeString(dir.resolve("grafana/provisioning/datasources/datasources.yml"), "datasources: [{uid: p}]\n");
    Plan p = ReconcilePlanner.plan(m, desired(m), observed, Map.of());
    assertEquals(Action.RELOAD, p.step("grafana").action());
    assertEquals(Action.KEEP, p.step("prometheus").action());
  }

  @Test
  void grafanaContainerFromBeforeTheFixedHashIsRecreatedOnceOnAProvisioningChange() throws IOException {
    ComposeModel m = withGrafanaProvisioning();
    List<ContainerDetails> observed = running(m).stream().map(c -> {
      Map<String, String> labels = new HashMap<>(c.labels());
      labels.remove(StackLabels.FIXED_CONFIG_HASH);
      return container(c.id(), c.name(), c.imageId(), labels, true);
    }).toList();
    Files.writeString(dir.resolve("grafana/provisioning/datasources/datasources.yml"), "datasources: [{uid: p}]\n");
    Plan p = ReconcilePlanner.plan(m, desired(m), observed, Map.of());
    assertEquals(Action.RECREATE, p.step("grafana").action());
    assertTrue(p.step("grafana").reason().contains("from before"), p.step("grafana").reason());
  }

  @Test
  void grafanaAdminSecretChangeIsReloadedNotRecreatedSinceANewContainerWouldNotApplyItEither() throws IOException {
    ComposeModel m = model();
    List<ContainerDetails> observed = running(m);
    Files.writeString(dir.resolve("secrets/grafana_admin"), "new\n");
    Plan p = ReconcilePlanner.plan(m, desired(m), observed, Map.of());
    assertEquals(Action.RELOAD, p.step("grafana").action());
    assertEquals(Action.KEEP, p.step("prometheus").action());
  }

  @Test
  void aRotatedFileSecretIsAppliedLiveByAServiceThatReReadsIt() throws IOException {
    // render rewrites a changed secret in place, so the running Alertmanager sees it: a reload, not a new container
    ComposeModel m = model();
    List<ContainerDetails> observed = running(m);
    Files.writeString(dir.resolve("secrets/slack_url"), "https://hooks.example/rotated\n");
    Plan p = ReconcilePlanner.plan(m, desired(m), observed, Map.of());
    assertEquals(Action.RELOAD, p.step("alertmanager").action());
    assertEquals(Action.KEEP, p.step("grafana").action());
  }

  @Test
  void prometheusWithoutLifecycleFlagIsRecreatedOnConfigChange() throws IOException {
    Files.writeString(composeFile, Files.readString(composeFile).replace("      - --web.enable-lifecycle\n", ""));
    ComposeModel m = model();
    List<ContainerDetails> observed = running(m);
    Files.writeString(dir.resolve("prometheus/prometheus.yml"), "global: {scrape_interval: 5s}\n");
    assertEquals(Action.RECREATE, ReconcilePlanner.plan(m, desired(m), observed, Map.of()).step("prometheus").action());
  }

  @Test
  void definitionChangeRecreatesOnlyThatService() throws IOException {
    List<ContainerDetails> observed = running(model());
    Files.writeString(composeFile, Files.readString(composeFile).replace("TZ: UTC", "TZ: Europe/Berlin"));
    ComposeModel m = model();
    Plan p = ReconcilePlanner.plan(m, desired(m), observed, Map.of());
    assertEquals(Map.of("prometheus", Action.KEEP, "alertmanager", Action.RECREATE, "grafana", Action.KEEP,
        "node-exporter", Action.KEEP), actions(p));
    assertEquals("id-alertmanager", p.step("alertmanager").containerId());
  }

  @Test
  void dependsOnChangeAloneRecreatesNothing() throws IOException {
    List<ContainerDetails> observed = running(model());
    Files.writeString(composeFile, Files.readString(composeFile).replace("depends_on: [prometheus]", "depends_on: []"));
    ComposeModel m = model();
    assertTrue(ReconcilePlanner.plan(m, desired(m), observed, Map.of()).unchanged());
  }

  @Test
  void retaggedImageRecreates() throws IOException {
    ComposeModel m = model();
    Map<String, Desired> d = desired(m);
    Desired g = d.get("grafana");
    d.put("grafana", new Desired(g.specHash(), g.configHash(), "sha256:rebuilt", g.fixedConfigHash()));
    Plan p = ReconcilePlanner.plan(m, d, running(m), Map.of());
    assertEquals(Action.RECREATE, p.step("grafana").action());
    assertTrue(p.step("grafana").reason().contains("image grafana/grafana:12.0.2 changed"));
  }

  @Test
  void stoppedContainerIsStartedNotReplaced() throws IOException {
    ComposeModel m = model();
    List<ContainerDetails> observed = new ArrayList<>(running(m));
    ContainerDetails g = observed.stream().filter(c -> c.id().equals("id-grafana")).findFirst().orElseThrow();
    observed.set(observed.indexOf(g), container(g.id(), g.name(), g.imageId(), g.labels(), false));
    Plan p = ReconcilePlanner.plan(m, desired(m), observed, Map.of());
    assertEquals(Action.START, p.step("grafana").action());
    assertEquals("id-grafana", p.step("grafana").containerId());
  }

  @Test
  void removedServiceAndDuplicatesAreRemoved() throws IOException {
    ComposeModel m = model();
    List<ContainerDetails> observed = new ArrayList<>(running(m));
    Map<String, String> jaegerLabels = new HashMap<>(observed.get(0).labels());
    jaegerLabels.put(ComposeLabels.SERVICE, "jaeger");
    observed.add(container("id-jaeger", "keiko-jaeger", "sha256:j", jaegerLabels, true));
    Map<String, String> dupLabels = new HashMap<>(observed.get(1).labels());
    dupLabels.put(ComposeLabels.SERVICE, "prometheus");
    observed.add(container("id-old-prom", "keiko_prometheus_1", "sha256:p", dupLabels, true));
    Plan p = ReconcilePlanner.plan(m, desired(m), observed, Map.of());
    assertEquals(List.of("id-jaeger", "id-old-prom"), p.removals().stream().map(Plan.Removal::containerId).toList());
    assertEquals("id-prometheus", p.step("prometheus").containerId(), "the one with the wanted name is kept");
    assertEquals(Action.KEEP, p.step("prometheus").action());
  }

  @Test
  void containerWithoutOurHashIsRecreated() throws IOException {
    ComposeModel m = model();
    List<ContainerDetails> observed = new ArrayList<>(running(m));
    Map<String, String> composeMade = new HashMap<>(observed.get(0).labels());
    composeMade.remove(StackLabels.SPEC_HASH);
    String svc = composeMade.get(ComposeLabels.SERVICE);
    observed.set(0, container("id-x", "x", "sha256:x", composeMade, true));
    Plan p = ReconcilePlanner.plan(m, desired(m), observed, Map.of());
    assertEquals(Action.RECREATE, p.step(svc).action());
    assertTrue(p.step(svc).reason().contains("not created by keiko-mon"));
  }

  @Test
  void specHashIgnoresConfigBytesAndConfigHashIgnoresOutsideBinds() throws IOException {
    ComposeModel m = model();
    ComposeModel.Service prom = m.service("prometheus");
    String spec = ServiceHashes.spec(m, prom);
    String config = ServiceHashes.config(m, prom);
    Files.writeString(dir.resolve("prometheus/prometheus.yml"), "global: {scrape_interval: 1s}\n");
    assertEquals(spec, ServiceHashes.spec(m, prom));
    assertNotEquals(config, ServiceHashes.config(m, prom));
    // node-exporter binds "/" (outside the rendered folder): nothing of it is read
    ComposeModel.Service node = m.service("node-exporter");
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ServiceHashes.config(m, node),
        "sha256 of nothing");
  }

  @Test
  void containerLabelsAreTheOnesComposeSelectsBy() throws IOException {
    ComposeModel m = model();
    Map<String, String> l = StackLabels.container(m, "prometheus", "s", "c", "f");
    assertEquals("keiko", l.get("com.docker.compose.project"));
    assertEquals("prometheus", l.get("com.docker.compose.service"));
    assertEquals("False", l.get("com.docker.compose.oneoff"));
    assertEquals("1", l.get("com.docker.compose.container-number"));
    assertEquals(dir.toString(), l.get("com.docker.compose.project.working_dir"));
    assertEquals(composeFile.toString(), l.get("com.docker.compose.project.config_files"));
    assertEquals("alertmanager:service_healthy:false", l.get("com.docker.compose.depends_on"));
    assertEquals("ops", StackLabels.container(m, "node-exporter", "s", "c", "f").get("team"), "user labels are kept");
  }
}
