package io.keikomon.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.cli.Services;
import io.keikomon.config.ConfigLoader;
import io.keikomon.config.EnvFile;
import io.keikomon.config.LoadedConfig;
import io.keikomon.config.SecretsResolver;
import io.keikomon.core.Workspace;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** `keiko-mon init` through the real command line, on a jimfs project folder. */
class InitCommandTest {
  private final Workspace ws = TestWorkspaces.jimfs();
  private final CliHarness cli = new CliHarness(new Services(ws, false));

  private String password() {
    return SecretsResolver.resolve(ws).grafanaAdminPassword().orElseThrow();
  }

  @Test
  void writesTheAnnotatedDefaultAndAPrivateDotEnv() throws IOException {
    CliHarness.Result r = cli.run("init");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(ConfigLoader.defaultText(), Files.readString(ws.configFile()));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ws.envFile())));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(ws.configFile())));
    assertTrue(r.out().contains("wrote keiko.yml"), r.toString());
    assertTrue(r.out().contains("wrote .env (mode 0600; generated GRAFANA_ADMIN_PASSWORD)"), r.toString());
    LoadedConfig loaded = ConfigLoader.load(ws);
    assertEquals("keiko.yml", loaded.source());
    assertEquals(ConfigLoader.defaults(), loaded.config());
    try (Stream<Path> files = Files.list(ws.dir())) {
      assertEquals(List.of(".env", "keiko.yml"), files.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temp files left behind");
    }
  }

  @Test
  void dotEnvHoldsAStrongGeneratedPasswordAndCommentedPlaceholders() throws IOException {
    assertEquals(0, cli.run("init").exitCode());
    String pw = password();
    assertTrue(pw.length() >= 24, pw);
    assertTrue(pw.matches("[A-Za-z0-9_-]+"), "URL-safe: " + pw);
    assertFalse(pw.toLowerCase().contains("admin"), pw);
    String env = Files.readString(ws.envFile());
    for (String name : List.of("ALERTMANAGER_SLACK_URL", "POSTGRES_PASSWORD", "REDIS_PASSWORD", "PROMETHEUS_RETENTION")) {
      assertTrue(env.contains("# " + name + "="), name);
      assertTrue(EnvFile.parse(env, ".env").get(name).isEmpty(), name + " is only a commented placeholder");
    }
    assertEquals(List.of(), EnvFile.parse(env, ".env").problems());
  }

  @Test
  void everyProjectGetsADifferentPassword() {
    Workspace other = TestWorkspaces.jimfs();
    new InitService(ws).init(false);
    new InitService(other).init(false);
    assertNotEquals(password(), SecretsResolver.resolve(other).grafanaAdminPassword().orElseThrow());
  }

  @Test
  void refusesToOverwriteWithoutForceAndChangesNothing() throws IOException {
    Files.writeString(ws.configFile(), "project: mine\n");
    CliHarness.Result r = cli.run("init");
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.err().contains("error: keiko.yml already exists"), r.toString());
    assertTrue(r.err().contains("hint: run `keiko-mon init --force`"), r.toString());
    assertEquals("project: mine\n", Files.readString(ws.configFile()));
    assertFalse(Files.exists(ws.envFile()), "refusal writes nothing at all");
  }

  @Test
  void refusesWhenOnlyDotEnvExists() throws IOException {
    Files.writeString(ws.envFile(), "GRAFANA_ADMIN_PASSWORD=kept\n");
    CliHarness.Result r = cli.run("init");
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.err().contains("error: .env already exists"), r.toString());
    assertEquals("kept", password());
    assertFalse(Files.exists(ws.configFile()));
  }

  @Test
  void forceReplacesAndKeepsTimestampedBackups() throws IOException {
    Files.writeString(ws.configFile(), "project: mine\n");
    Files.writeString(ws.envFile(), "GRAFANA_ADMIN_PASSWORD=old\n");
    Files.setPosixFilePermissions(ws.envFile(), PosixFilePermissions.fromString("rw-------"));
    CliHarness.Result r = cli.run("init", "--force");
    assertEquals(0, r.exitCode(), r.toString());
    Path configBackup = ws.dir().resolve("keiko.yml.bak-20261125T100000Z");
    Path envBackup = ws.dir().resolve(".env.bak-20261125T100000Z");
    assertEquals("project: mine\n", Files.readString(configBackup));
    assertEquals("GRAFANA_ADMIN_PASSWORD=old\n", Files.readString(envBackup));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(envBackup)),
        "the backup of a secret stays private");
    assertTrue(r.out().contains("kept backup keiko.yml.bak-20261125T100000Z"), r.toString());
    assertEquals(ConfigLoader.defaultText(), Files.readString(ws.configFile()));
    assertEquals("old", password(), "the running Grafana keeps the password it started with");
    assertTrue(r.out().contains("kept GRAFANA_ADMIN_PASSWORD from the previous .env"), r.toString());
  }

  @Test
  void forceCarriesOverEverySecretAndUnknownVariable() throws IOException {
    Files.writeString(ws.envFile(), """
        ALERTMANAGER_SLACK_URL=https://hooks.slack.com/services/T0/B0/x#frag
        REDIS_PASSWORD="with space # and \\"quote\\""
        MY_OWN=kept
        """);
    CliHarness.Result r = cli.run("init", "--force");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("wrote .env (mode 0600; kept ALERTMANAGER_SLACK_URL, REDIS_PASSWORD, MY_OWN from the"
        + " previous .env; generated GRAFANA_ADMIN_PASSWORD)"), r.toString());
    String env = Files.readString(ws.envFile());
    EnvFile parsed = EnvFile.parse(env, ".env");
    assertEquals(List.of(), parsed.problems(), env);
    assertEquals("https://hooks.slack.com/services/T0/B0/x#frag",
        parsed.get("ALERTMANAGER_SLACK_URL").orElseThrow().value());
    assertEquals("with space # and \"quote\"", parsed.get("REDIS_PASSWORD").orElseThrow().value());
    assertEquals("kept", parsed.get("MY_OWN").orElseThrow().value());
    assertTrue(password().length() >= 24, "a password is generated when the old .env had none");
    assertTrue(env.contains("# POSTGRES_PASSWORD="), "unset variables stay commented placeholders");
  }

  @Test
  void aSecondForcedRunInTheSameSecondDoesNotOverwriteTheFirstBackup() throws IOException {
    Files.writeString(ws.configFile(), "project: first\n");
    assertEquals(0, cli.run("init", "--force").exitCode());
    Files.writeString(ws.configFile(), "project: second\n");
    assertEquals(0, cli.run("init", "--force").exitCode());
    assertEquals("project: first\n", Files.readString(ws.dir().resolve("keiko.yml.bak-20261125T100000Z")));
    assertEquals("project: second\n", Files.readString(ws.dir().resolve("keiko.yml.bak-20261125T100000Z-2")));
  }

  @Test
  void passwordFromTheEnvironmentStillWinsAfterInit() {
    Workspace withEnv = TestWorkspaces.jimfs(Map.of("GRAFANA_ADMIN_PASSWORD", "from-env"));
    new InitService(withEnv).init(false);
    assertEquals("from-env", SecretsResolver.resolve(withEnv).grafanaAdminPassword().orElseThrow());
  }
}
