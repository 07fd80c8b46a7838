package io.keikomon.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.cli.Services;
import io.keikomon.config.ConfigLoader;
import io.keikomon.config.Secrets;
import io.keikomon.core.Workspace;
import io.keikomon.render.Renderer;
import io.keikomon.render.JustRendered;
import io.keikomon.render.RenderService;
import io.keikomon.render.RenderSummary;
import io.keikomon.render.RenderedTree;
import io.keikomon.config.ConfigException;
import io.keikomon.config.SecretsResolver;
import io.keikomon.core.Console;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * validate with the real promtool, amtool and docker-compose from PATH (Debian packages prometheus,
 * prometheus-alertmanager, docker-compose). A missing tool fails these tests: its check would be skipped,
 * and the tests insist that every oracle ran.
 */
@Tag("oracle")
class ValidateOracleTest {
  private static final String[] ORACLES = {"promtool check config", "promtool check rules", "promtool test rules",
      "amtool check-config", "docker-compose config"};

  private static Workspace workspace(Map<String, String> env) {
    java.util.HashMap<String, String> all = new java.util.HashMap<>(env);
    all.put("PATH", System.getenv("PATH"));
    return TestWorkspaces.jimfs(all);
  }

  private static CliHarness.Result validate(Workspace ws) {
    return new CliHarness(new Services(ws, false)).run("validate");
  }

  private static void override(Workspace ws, String template, String text) throws IOException {
    Path file = ws.templateOverrides().resolve(template);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static String builtIn(String template) throws IOException {
    try (InputStream in = ValidateOracleTest.class.getResourceAsStream("/templates/" + template)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void renderedDefaultPassesEveryOracle() {
    CliHarness.Result r = validate(workspace(Map.of(Secrets.ALERTMANAGER_SLACK_URL,
        "https://hooks.slack.invalid/services/T0/B0/XYZ")));
    assertEquals(0, r.exitCode(), r.toString());
    for (String oracle : ORACLES) {
      assertTrue(r.out().contains("passed   " + oracle + " (ran "), oracle + " did not pass:\n" + r);
    }
    // the one warning left with Slack set: the Watchdog has no dead man's switch in the default
    assertTrue(r.out().contains("valid: 0 errors, 1 warning"), r.toString());
    assertTrue(r.out().contains("the Watchdog ends at receiver \"watchdog\""), r.toString());
  }

  @Test
  void brokenRuleFromATemplateOverrideFailsWithPromtoolsMessage() throws IOException {
    Workspace ws = workspace(Map.of());
    String alerts = builtIn("prometheus/rules/alerts.yml.ftl");
    override(ws, "prometheus/rules/alerts.yml.ftl", alerts.replaceFirst("\ngroups:\n",
        "\ngroups:\n  - name: injected\n    rules:\n      - alert: InjectedBroken\n        expr: rate(up) > 0\n"));
    CliHarness.Result r = validate(ws);
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.out().contains("monitoring/prometheus/rules/alerts.yml:"), r.toString());
    // check config, check rules and test rules all load the file; the problem is shown once
    assertTrue(r.out().contains(": group \"injected\", rule 1, \"InjectedBroken\": could not parse"
        + " expression: 1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
        r.toString());
    assertEquals(1, r.out().split("InjectedBroken", -1).length - 1, r.toString());
    assertTrue(r.out().contains("failed   promtool check rules (ran "), r.toString());
  }

  @Test
  void aTreeJustRenderedIsCheckedAsHandedOverNotRenderedAgain() throws IOException {
    Workspace ws = workspace(Map.of());
    Files.writeString(ws.configFile(), "version: 1\nproject: demo\nalerting: {none: true}\n");
    RenderSummary summary = new RenderService(ws, Console.SILENT).render(new RenderService.Options(false, false));
    Map<String, String> files = new java.util.TreeMap<>(summary.tree().files());
    files.put("prometheus/rules/alerts.yml", files.get("prometheus/rules/alerts.yml").replaceFirst("\ngroups:\n",
        "\ngroups:\n  - name: injected\n    rules:\n      - alert: InjectedBroken\n        expr: rate(up) > 0\n"));
    JustRendered handed = new JustRendered(ConfigLoader.load(ws), SecretsResolver.resolve(ws), new RenderedTree(files));

    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> new ValidateService(new Services(ws, false).oracles()).requireValid(ws, Optional.of(handed)));

    assertTrue(e.problems().stream().anyMatch(p -> p.message().contains("\"InjectedBroken\": could not parse")),
        e.problems().toString());
    // the folder on disk (as rendered, unbroken) passes: validate alone says so
    assertEquals(0, validate(ws).exitCode());
  }

  @Test
  void checkConfigReallyReadsTheRenderedPrometheusYml() throws IOException {
    Workspace ws = workspace(Map.of());
    String rendered = Renderer.render(ConfigLoader.defaults(),
        new Secrets(Optional.of("pw"), Optional.empty(), Optional.empty(), Optional.empty()), ws.templateOverrides())
        .get("prometheus/prometheus.yml");
    override(ws, "prometheus/prometheus.yml.ftl", rendered.replace("global:\n", "global:\n  scrape_intervall: 15s\n"));
    CliHarness.Result r = validate(ws);
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.out().contains("monitoring/prometheus/prometheus.yml:"), r.toString());
    assertTrue(r.out().contains("field scrape_intervall not found"), r.toString());
  }

  @Test
  void containerRuleFilePathsAreFollowedOnTheHost() throws IOException {
    Workspace ws = workspace(Map.of());
    String rendered = Renderer.render(ConfigLoader.defaults(),
        new Secrets(Optional.of("pw"), Optional.empty(), Optional.empty(), Optional.empty()), ws.templateOverrides())
        .get("prometheus/prometheus.yml");
    // the path as the container sees it: must still make promtool load (and check) both rule files
    override(ws, "prometheus/prometheus.yml.ftl", rendered.replace("  - rules/*.yml", "  - /etc/prometheus/rules/*.yml"));
    assertEquals(0, validate(ws).exitCode());
    override(ws, "prometheus/prometheus.yml.ftl", rendered.replace("  - rules/*.yml", "  - /etc/prometheus/rule/*.yml"));
    CliHarness.Result r = validate(ws);
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.out().contains("monitoring/prometheus/prometheus.yml: rule_files: rule_files match 0 file(s) but"
        + " prometheus/rules/ holds 2"), r.toString());
  }

  @Test
  void alertmanagerConfigIsCheckedByAmtool() throws IOException {
    Workspace ws = workspace(Map.of());
    override(ws, "alertmanager/alertmanager.yml.ftl",
        builtIn("alertmanager/alertmanager.yml.ftl").replace("group_wait: 30s", "group_wait: 30 seconds"));
    CliHarness.Result r = validate(ws);
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.out().contains("monitoring/alertmanager/alertmanager.yml:"), r.toString());
    assertTrue(r.out().contains("amtool check-config: "), r.toString());
    assertTrue(r.out().contains("failed   amtool check-config"), r.toString());
  }

  /** Every example under examples/ renders into a folder that every oracle accepts. */
  @Test
  void everyExamplePassesEveryOracle() throws IOException {
    List<Path> examples;
    try (Stream<Path> dirs = Files.list(Path.of("examples"))) {
      examples = dirs.filter(d -> Files.isRegularFile(d.resolve("keiko.yml"))).sorted().toList();
    }
    assertEquals(5, examples.size(), examples.toString());
    for (Path example : examples) {
      Workspace ws = workspace(Map.of(Secrets.ALERTMANAGER_SLACK_URL, "https://hooks.slack.invalid/services/T0/B0/XYZ"));
      Files.writeString(ws.configFile(), Files.readString(example.resolve("keiko.yml")));
      CliHarness.Result r = validate(ws);
      assertEquals(0, r.exitCode(), example + ":\n" + r);
      for (String oracle : ORACLES) {
        assertTrue(r.out().contains("passed   " + oracle + " (ran "), example + ": " + oracle + " did not pass:\n" + r);
      }
      // the one warning an example without alerting.dead_mans_switch_url may get is about the Watchdog
      boolean deadMansSwitch = Files.readString(example.resolve("keiko.yml")).contains("dead_mans_switch_url");
      assertTrue(r.out().contains(deadMansSwitch ? "valid: 0 errors, 0 warnings" : "valid: 0 errors, 1 warning"),
          example + ":\n" + r);
      assertEquals(deadMansSwitch, !r.out().contains("the Watchdog ends at receiver"), example + ":\n" + r);
    }
  }
}
