package io.keikomon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.testing.TestWorkspaces;
import java.util.List;
import org.junit.jupiter.api.Test;

/** keiko.yml's mode, ha and federation keys: defaults, values, and problems with their positions. */
class HaConfigTest {
  private static final String DB = "ha:\n  grafana:\n    database: {host: db.internal, database: grafana, user: grafana}\n";

  private static List<String> problems(String yaml) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(TestWorkspaces.withConfig(yaml)));
    return e.problems().stream().map(Problem::render).toList();
  }

  private static KeikoConfig load(String yaml) {
    return ConfigLoader.load(TestWorkspaces.withConfig(yaml)).config();
  }

  @Test
  void defaultsAreComposeWithTheHaCountsOfTheIssue() {
    KeikoConfig d = ConfigLoader.defaults();
    assertEquals(KeikoConfig.Mode.COMPOSE, d.mode());
    assertEquals(2, d.ha().prometheusReplicas());
    assertEquals(3, d.ha().alertmanagerReplicas());
    assertEquals(2, d.ha().grafanaReplicas());
    assertNull(d.ha().grafanaDatabase());
    assertFalse(d.federation().enabled());
    assertEquals(List.of("{__name__=~\"job:.*\"}"), d.federation().match());
  }

  @Test
  void swarmModeWithASharedGrafanaDatabase() {
    KeikoConfig c = load("mode: swarm\nalerting: {none: true}\n" + DB);
    assertTrue(c.swarm());
    assertEquals(new KeikoConfig.GrafanaDatabase("db.internal", 5432, "grafana", "grafana", "disable"),
        c.ha().grafanaDatabase());
  }

  @Test
  void unknownModeSuggestsTheClosest() {
    assertEquals(List.of("keiko.yml:1:7: mode: unknown mode \"swram\" (hint: did you mean \"swarm\"?)"),
        problems("mode: swram\n"));
  }

  @Test
  void severalGrafanaReplicasInSwarmModeNeedADatabase() {
    assertEquals(List.of("keiko.yml:4:15: ha.grafana.replicas: 2 Grafana replicas need a shared database, and"
        + " ha.grafana.database names none (hint: set ha.grafana.database (host, database, user; GRAFANA_DB_PASSWORD"
        + " in the environment or .env), or run one replica: ha.grafana.replicas: 1)"),
        problems("mode: swarm\nha:\n  grafana:\n    replicas: 2\n"));
    // compose mode runs one Grafana whatever ha says, and one replica needs no shared database
    assertEquals(KeikoConfig.Mode.COMPOSE, load("alerting: {none: true}\nha: {grafana: {replicas: 2}}\n").mode());
    assertEquals(1, load("mode: swarm\nalerting: {none: true}\nha: {grafana: {replicas: 1}}\n").ha().grafanaReplicas());
  }

  @Test
  void replicasOutOfRangeAndDatabaseKeysArePositioned() {
    assertEquals(List.of("keiko.yml:2:29: ha.prometheus.replicas: replicas 0 is out of range 1-9"
        + " (hint: e.g. 2 for Prometheus, 3 for Alertmanager)"),
        problems("mode: swarm\nha: {prometheus: {replicas: 0}, grafana: {replicas: 1}}\n"));
    // the default count (2 Grafana replicas) is the embedded file's: the problem points at the user's `mode: swarm`
    assertEquals(List.of("keiko.yml:1:7: mode: 2 Grafana replicas need a shared database, and ha.grafana.database"
        + " names none (hint: set ha.grafana.database (host, database, user; GRAFANA_DB_PASSWORD in the environment"
        + " or .env), or run one replica: ha.grafana.replicas: 1)"), problems("mode: swarm\n"));
    assertEquals(List.of("keiko.yml:2:23: ha.grafana.database.database: missing required key"
            + " (hint: add \"database: ...\")", "keiko.yml:3:3: ha.grafana.database.db: unknown key (hint: known keys"
            + " here: host, port, database, user, sslmode)"),
        problems("ha:\n  grafana: {database: {host: db, user: g,\n  db: x}}\n"));
  }

  @Test
  void federationNeedsSelectorsAndHostPortTargets() {
    assertEquals(List.of("keiko.yml:1:24: federation.targets[0]: \"http://eu:9090\" is not host:port"
        + " (hint: write only host:port here; the scheme goes in `scheme` and the path in `metrics_path`)"),
        problems("federation: {targets: [\"http://eu:9090\"]}\n"));
    assertEquals(List.of("keiko.yml:1:42: federation.match[0]: \"job:x\" is not a series selector"
        + " (hint: e.g. '{__name__=~\"job:.*\"}')"), problems("federation: {targets: [eu:9090], match: [\"job:x\"]}\n"));
    KeikoConfig c = load("alerting: {none: true}\nfederation: {targets: [eu:9090, us:9090]}\n");
    assertEquals(List.of("eu:9090", "us:9090"), c.federation().targets());
  }

  @Test
  void swarmModeRunsPlainHttpAndRefusesAnExplicitRequestForAuthOrTls() {
    KeikoConfig c = load("mode: swarm\nalerting: {none: true}\n" + DB);
    assertFalse(c.security().any(), "the default's security gives way in swarm mode");
    assertTrue(load("alerting: {none: true}\n").security().auth(), "compose keeps it on");
    assertEquals(List.of("keiko.yml:2:30: security.tls: swarm mode does not carry authentication and TLS yet (its"
        + " stack file has no web configs) (hint: remove it (swarm mode runs plain HTTP: keep the published ports"
        + " behind a firewall), or use mode: compose)"),
        problems("mode: swarm\nsecurity: {auth: false, tls: true}\nalerting: {none: true}\n" + DB));
  }
}
