package io.keikomon.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.cli.Services;
import io.keikomon.config.Secrets;
import io.keikomon.core.Workspace;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * validate on the secured stack with the real promtool (check web-config loads each web config's certificate and key)
 * and the authenticated-clients check, on what render wrote and on a hand-edited copy.
 */
@Tag("oracle")
class SecurityValidateTest {
  private static Workspace workspace(String keikoYml) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv("PATH"));
    env.put(Secrets.ALERTMANAGER_SLACK_URL, "https://hooks.slack.invalid/services/T0/B0/XYZ");
    Workspace ws = TestWorkspaces.jimfs(env);
    if (keikoYml != null) {
      Files.writeString(ws.configFile(), keikoYml);
    }
    return ws;
  }

  private static CliHarness.Result run(Workspace ws, String... args) {
    return new CliHarness(new Services(ws, false)).run(args);
  }

  @Test
  void renderedSecureDefaultPassesWebConfigAndClientChecks() throws IOException {
    Workspace ws = workspace(null);
    assertEquals(0, run(ws, "render").exitCode());

    CliHarness.Result r = run(ws, "validate");

    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("passed   promtool check web-config (ran "), r.toString());
    assertTrue(r.out().contains("passed   authenticated clients"), r.toString());
  }

  @Test
  void aScrapeJobWithItsAuthRemovedByHandIsAnErrorAtItsPosition() throws IOException {
    Workspace ws = workspace(null);
    assertEquals(0, run(ws, "render").exitCode());
    Path prometheus = ws.dir().resolve("monitoring/prometheus/prometheus.yml");
    String text = Files.readString(prometheus);
    String edited = text.replace("""
          - job_name: node
            scheme: https
            basic_auth:
              username: metrics
              password_file: /run/secrets/node_exporter_password
        """, """
          - job_name: node
            scheme: https
        """);
    assertFalse(edited.equals(text), "the node job was found:\n" + text);
    Files.writeString(prometheus, edited);
    int line = (int) edited.substring(0, edited.indexOf("- job_name: node")).chars().filter(c -> c == '\n').count() + 1;

    CliHarness.Result r = run(ws, "validate");

    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.out().contains("monitoring/prometheus/prometheus.yml:" + line + ":"), r.toString());
    assertTrue(r.out().contains("scrape_configs[") && r.out().contains("(job node): talks to node-exporter, which asks"
        + " for a password, without basic_auth"), r.toString());
    assertTrue(r.out().contains("password_file: /run/secrets/node_exporter_password"), "the hint names the file:\n" + r);
    assertTrue(r.out().contains("failed   on disk: authenticated clients"), r.toString());
  }

  @Test
  void aDatasourceWithoutTheCaAndAHealthcheckWithALiteralPasswordAreErrors() throws IOException {
    Workspace ws = workspace(null);
    assertEquals(0, run(ws, "render").exitCode());
    Path ds = ws.dir().resolve("monitoring/grafana/provisioning/datasources/datasources.yml");
    Files.writeString(ds, Files.readString(ds).replaceFirst("      tlsAuthWithCACert: true\n", ""));
    Path compose = ws.dir().resolve("monitoring/docker-compose.monitoring.yml");
    Files.writeString(compose, Files.readString(compose)
        .replace("$$(cat /run/secrets/alertmanager_auth_header)", "Basic YWRtaW46c2VjcmV0cGFzc3dvcmQ="));

    CliHarness.Result r = run(ws, "validate");

    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.out().contains("datasources[0] (Prometheus): queries prometheus, which serves TLS only"), r.toString());
    assertTrue(r.out().contains("services.alertmanager.healthcheck.test: holds a password"), r.toString());
  }

  @Test
  void aBrokenWebConfigFailsPromtoolCheckWebConfig() throws IOException {
    Workspace ws = workspace(null);
    assertEquals(0, run(ws, "render").exitCode());
    Path web = ws.dir().resolve("monitoring/alertmanager/web.yml");
    Files.writeString(web, Files.readString(web).replace("key_file: /run/secrets/alertmanager.key",
        "key_file: /run/secrets/prometheus.key"));

    CliHarness.Result r = run(ws, "validate");

    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.out().contains("failed   on disk: promtool check web-config"), r.toString());
    assertTrue(r.out().contains("monitoring/alertmanager/web.yml"), r.toString());
  }

  @Test
  void securityOffRendersThePlainStackAndPassesTheSameOracles() throws IOException {
    Workspace ws = workspace("version: 1\nsecurity: {auth: false, tls: false}\n");
    assertEquals(0, run(ws, "render").exitCode());
    Path out = ws.dir().resolve("monitoring");
    assertFalse(Files.exists(out.resolve("prometheus/web.yml")));
    assertFalse(Files.exists(out.resolve("pki")), "no CA");
    String prometheus = Files.readString(out.resolve("prometheus/prometheus.yml"));
    assertFalse(prometheus.contains("https") || prometheus.contains("basic_auth"), prometheus);
    String compose = Files.readString(out.resolve("docker-compose.monitoring.yml"));
    assertFalse(compose.contains("web.config.file") || compose.contains("Authorization"), compose);
    assertTrue(compose.contains("\"CMD\", \"wget\", \"-qO-\", \"http://127.0.0.1:9090/-/ready\""), compose);

    CliHarness.Result r = run(ws, "validate");

    assertTrue(r.exitCode() == 0 || r.exitCode() == 3, r.toString());
    for (String oracle : new String[] {"promtool check config", "promtool check rules", "promtool test rules",
        "amtool check-config", "docker-compose config"}) {
      assertTrue(r.out().contains("passed   " + oracle + " (ran "), oracle + ":\n" + r);
    }
    assertFalse(r.out().contains("web-config"), r.toString());
    assertTrue(r.out().contains("passed   authenticated clients"), r.toString());
  }
}
