package io.keikomon.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.cli.Services;
import io.keikomon.core.Workspace;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.CliHarness.Result;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** `keiko-mon render` on jimfs: what lands on disk, and that nothing a user wrote is lost. */
class RenderCommandTest {
  private static final Map<String, String> ENV = Map.of("GRAFANA_ADMIN_PASSWORD", "s3cret-for-tests");

  private final Workspace ws = TestWorkspaces.jimfs(ENV);
  private final CliHarness cli = new CliHarness(new Services(ws, false));
  private final Path out = ws.dir().resolve("monitoring");

  @Test
  void firstRenderWritesEveryFileWithReadablePermissionsAndPrivateSecretsFolder() throws IOException {
    Result r = cli.run("render");

    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(Files.isRegularFile(out.resolve("docker-compose.monitoring.yml")), r::toString);
    assertTrue(Files.isRegularFile(out.resolve("prometheus/prometheus.yml")));
    assertEquals("s3cret-for-tests", Files.readString(out.resolve("secrets/grafana_admin_password")));
    assertEquals("rwx------", perms(out.resolve("secrets")));
    assertEquals("rw-r--r--", perms(out.resolve("secrets/grafana_admin_password")));
    assertEquals("rw-r--r--", perms(out.resolve("prometheus/prometheus.yml")));
    assertTrue(Files.isDirectory(out.resolve("prometheus/rules")), "rules folder exists for the bind mount");
    assertTrue(Files.isDirectory(out.resolve("grafana/dashboards")), "dashboards folder exists for the bind mount");
    Ledger ledger = Ledger.read(out);
    assertEquals(Ledger.sha256(Files.readString(out.resolve("prometheus/prometheus.yml"))),
        ledger.files().get("prometheus/prometheus.yml"));
    long files = ledger.files().size();
    assertTrue(r.out().contains("rendered monitoring/: " + files + " created, 0 updated, 0 unchanged"), r::toString);
    assertEquals(List.of(), tempFiles(), "no temporary files are left behind");
  }

  @Test
  void secondRenderChangesNothing() throws IOException {
    cli.run("render");
    String before = Files.readString(out.resolve(Ledger.FILE));

    Result r = cli.run("render");

    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().contains("0 created, 0 updated, " + Ledger.read(out).files().size() + " unchanged"), r::toString);
    assertEquals(before, Files.readString(out.resolve(Ledger.FILE)));
  }

  @Test
  void aChangedSecretIsWrittenIntoTheSameFileSoItsBindMountSeesIt() throws IOException {
    cli.run("render");
    Path secret = out.resolve("secrets/prometheus_password");
    Object inode = Files.readAttributes(secret, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    String web = Files.readString(out.resolve("prometheus/web.yml"));
    String env = Files.readString(ws.envFile());
    String old = Files.readString(secret);
    Files.writeString(ws.envFile(), env.replace("PROMETHEUS_PASSWORD=" + old, "PROMETHEUS_PASSWORD=rotated-0123456789"));

    Result r = cli.run("render");

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("rotated-0123456789", Files.readString(secret));
    assertEquals(inode, Files.readAttributes(secret, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
        "same inode: a container bind-mounting this one file sees the new password");
    assertEquals("rw-r--r--", perms(secret));
    assertNotEquals(web, Files.readString(out.resolve("prometheus/web.yml")), "the web config has the new hash");
    Result again = cli.run("render");
    assertTrue(again.out().contains(" 0 updated"), again::toString);
    assertEquals(List.of(), tempFiles(), "no temporary files are left behind");
  }

  @Test
  void aHandEditedFileStopsTheRenderBeforeAnythingIsWritten() throws IOException {
    cli.run("render");
    Path prometheus = out.resolve("prometheus/prometheus.yml");
    Path compose = out.resolve("docker-compose.monitoring.yml");
    Files.writeString(prometheus, Files.readString(prometheus) + "# my tweak\n");
    String composeBefore = Files.readString(compose);
    Files.writeString(ws.configFile(), "ports: {prometheus: 9191}\nprometheus: {scrape_interval: 30s}\n");

    Result r = cli.run("render");

    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().contains("monitoring/prometheus/prometheus.yml"), r::toString);
    assertTrue(r.err().contains("--force"), r::toString);
    assertTrue(Files.readString(prometheus).endsWith("# my tweak\n"), "the edit survives");
    assertEquals(composeBefore, Files.readString(compose), "the compose file (which would change) is untouched");
  }

  @Test
  void forceOverwritesAnEditedFileAndKeepsABackup() throws IOException {
    cli.run("render");
    Path prometheus = out.resolve("prometheus/prometheus.yml");
    String edited = Files.readString(prometheus) + "# my tweak\n";
    Files.writeString(prometheus, edited);

    Result r = cli.run("render", "--force");

    assertEquals(0, r.exitCode(), r::toString);
    Path backup = prometheus.resolveSibling("prometheus.yml.bak-20261125T100000Z");
    assertEquals(edited, Files.readString(backup));
    assertFalse(Files.readString(prometheus).contains("# my tweak"));
    assertTrue(r.err().contains("monitoring/prometheus/prometheus.yml.bak-20261125T100000Z"), r::toString);
    assertEquals(0, cli.run("render").exitCode(), "the next render sees no edit");
  }

  @Test
  void dryRunPrintsAUnifiedDiffAndWritesNothing() throws IOException {
    cli.run("render");
    String ledgerBefore = Files.readString(out.resolve(Ledger.FILE));
    String prometheusBefore = Files.readString(out.resolve("prometheus/prometheus.yml"));
    Files.writeString(ws.configFile(), "prometheus: {scrape_interval: 30s}\n");

    Result r = cli.run("render", "--dry-run");

    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().contains("--- a/prometheus/prometheus.yml\n+++ b/prometheus/prometheus.yml\n@@ -"), r::toString);
    assertTrue(r.out().contains("\n-  scrape_interval: 15s\n+  scrape_interval: 30s\n"), r::toString);
    assertEquals(prometheusBefore, Files.readString(out.resolve("prometheus/prometheus.yml")));
    assertEquals(ledgerBefore, Files.readString(out.resolve(Ledger.FILE)));
    assertTrue(r.err().contains("nothing written"), r::toString);
  }

  @Test
  void dryRunOnAFreshProjectCreatesNothingAndNeverShowsSecrets() {
    Result r = cli.run("render", "--dry-run");

    assertEquals(0, r.exitCode(), r::toString);
    assertFalse(Files.exists(out), "no output folder");
    assertFalse(Files.exists(ws.envFile()), "no .env");
    assertTrue(r.out().contains("+++ b/docker-compose.monitoring.yml"), r::toString);
    assertTrue(r.out().contains("secret secrets/grafana_admin_password: would be created (content not shown)"), r::toString);
    assertFalse(r.out().contains("s3cret-for-tests"), "secret values never appear in the diff");
  }

  @Test
  void aFileNoLongerProducedIsRemovedWhenUneditedAndKeptWhenEdited() throws IOException {
    cli.run("render");
    Path blackbox = out.resolve("blackbox/blackbox.yml");
    Path alertmanager = out.resolve("alertmanager/alertmanager.yml");
    Files.writeString(alertmanager, Files.readString(alertmanager) + "# mine\n");
    Files.writeString(ws.configFile(), "components: {blackbox-exporter: false, alertmanager: false}\n");

    Result r = cli.run("render");

    assertEquals(0, r.exitCode(), r::toString);
    assertFalse(Files.exists(blackbox), "unedited file removed");
    assertTrue(Files.readString(alertmanager).endsWith("# mine\n"), "edited file kept");
    assertTrue(r.err().contains("monitoring/alertmanager/alertmanager.yml is no longer generated but was edited"), r::toString);
    // blackbox.yml, and Alertmanager's web.yml, certificate, key, password and healthcheck header
    assertTrue(r.out().contains("6 removed"), r::toString);
    assertFalse(Files.exists(out.resolve("secrets/alertmanager_password")), "its secrets go with it");
    assertFalse(Ledger.read(out).files().containsKey("alertmanager/alertmanager.yml"), "no longer tracked");
  }

  @Test
  void aTemplateInTheProjectsTemplatesFolderWinsOverTheBuiltInOne() throws IOException {
    Path override = ws.templateOverrides().resolve("blackbox/blackbox.yml.ftl");
    Files.createDirectories(override.getParent());
    Files.writeString(override, "# mine for ${project}\nmodules: {}\n");

    Result r = cli.run("render");

    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("# mine for keiko\nmodules: {}\n", Files.readString(out.resolve("blackbox/blackbox.yml")));
  }

  @Test
  void aBrokenOverrideIsReportedWithTemplateAndLineAndNothingIsWritten() throws IOException {
    Path override = ws.templateOverrides().resolve("prometheus/prometheus.yml.ftl");
    Files.createDirectories(override.getParent());
    Files.writeString(override, "global:\n  scrape_interval: ${prometheus.nosuchkey}\n");

    Result r = cli.run("render");

    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().contains("templates/prometheus/prometheus.yml.ftl:2: "), r::toString);
    assertTrue(r.err().contains("nosuchkey"), r::toString);
    assertFalse(r.err().contains("at freemarker."), "no stack trace: " + r);
    assertFalse(Files.exists(out));
  }

  @Test
  void withoutAGrafanaPasswordOneIsGeneratedSavedToDotEnvAndKept() throws IOException {
    Workspace fresh = TestWorkspaces.jimfs();
    CliHarness cli2 = new CliHarness(new Services(fresh, false));
    Files.writeString(fresh.envFile(), "POSTGRES_PASSWORD=pg\n");
    Path secret = fresh.dir().resolve("monitoring/secrets/grafana_admin_password");

    Result first = cli2.run("render");
    String password = Files.readString(secret);
    Result second = cli2.run("render");

    assertEquals(0, first.exitCode(), first::toString);
    assertTrue(password.length() >= 20 && !password.equalsIgnoreCase("admin"), password);
    assertTrue(first.err().contains("monitoring/secrets/grafana_admin_password"), first::toString);
    String env = Files.readString(fresh.envFile());
    assertTrue(env.startsWith("POSTGRES_PASSWORD=pg\n"), "existing .env kept: " + env);
    assertTrue(env.contains("\nGRAFANA_ADMIN_PASSWORD=" + password + "\n"), env);
    assertEquals("rw-------", perms(fresh.envFile()));
    assertEquals(0, second.exitCode(), second::toString);
    assertEquals(password, Files.readString(secret), "later renders keep the password");
    assertEquals(1, Files.readString(fresh.envFile()).split("GRAFANA_ADMIN_PASSWORD=").length - 1, "saved once");
  }

  @Test
  void twoProjectsGetDifferentGeneratedPasswords() throws IOException {
    Workspace a = TestWorkspaces.jimfs();
    Workspace b = TestWorkspaces.jimfs();
    new CliHarness(new Services(a, false)).run("render");
    new CliHarness(new Services(b, false)).run("render");

    assertNotEquals(Files.readString(a.dir().resolve("monitoring/secrets/grafana_admin_password")),
        Files.readString(b.dir().resolve("monitoring/secrets/grafana_admin_password")));
  }

  @Test
  void aWriteThatFailsHalfwayLeavesALedgerOfWhatWasWritten() throws IOException {
    // A folder where a file should go makes that one write fail after earlier files were written.
    Files.createDirectories(out.resolve("prometheus/prometheus.yml/in-the-way"));

    Result failed = cli.run("render");

    assertEquals(1, failed.exitCode(), failed::toString);
    assertTrue(failed.err().contains("cannot write"), failed::toString);
    Ledger ledger = Ledger.read(out);
    assertTrue(ledger.files().containsKey("docker-compose.monitoring.yml"), "written before the failure: " + ledger.files());
    assertFalse(ledger.files().containsKey("prometheus/prometheus.yml"));
    assertEquals(List.of(), tempFiles(), "the failed write left no temporary file");
  }

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private List<Path> tempFiles() throws IOException {
    try (Stream<Path> walk = Files.walk(ws.dir())) {
      return walk.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }
}
