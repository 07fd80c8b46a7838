package io.keikomon.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.KeikoConfig;
import io.keikomon.config.Secrets;
import io.keikomon.render.RenderedTree;
import io.keikomon.render.Renderer;
import io.keikomon.testing.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real amtool (Debian's 0.25) routes sample alerts through the rendered alertmanager.yml. */
@Tag("oracle")
class AlertmanagerRoutingOracleTest {
  private static Path render(Path dir, boolean slack) throws Exception {
    return render(dir, slack, ContentFixtures.defaults());
  }

  private static Path render(Path dir, boolean slack, KeikoConfig config) throws Exception {
    Secrets secrets = new Secrets(Optional.of("pw"),
        slack ? Optional.of("https://hooks.slack.invalid/services/T0/B0/X") : Optional.empty(),
        Optional.empty(), Optional.empty());
    RenderedTree tree = Renderer.render(config, secrets, null);
    Path file = dir.resolve("alertmanager.yml");
    Files.writeString(file, tree.get("alertmanager/alertmanager.yml"));
    Tool check = Tool.run(dir, "amtool", "check-config", file.toString());
    assertEquals(0, check.exitCode(), check.output());
    return file;
  }

  private static void assertRoute(Path config, String expectedReceiver, String... labels) {
    String[] cmd = new String[5 + labels.length];
    cmd[0] = "amtool";
    cmd[1] = "config";
    cmd[2] = "routes";
    cmd[3] = "test";
    cmd[4] = "--config.file=" + config;
    System.arraycopy(labels, 0, cmd, 5, labels.length);
    Tool r = Tool.run(config.getParent(), cmd);
    assertEquals(0, r.exitCode(), r.output());
    String receiver = r.output().lines().filter(l -> !l.startsWith("Warning:")).reduce((a, b) -> b).orElse("");
    assertEquals(expectedReceiver, receiver.strip(), String.join(" ", labels) + "\n" + r.output());
  }

  @Test
  void withSlackCriticalAndWarningGoToTheirReceiversAndWatchdogToItsOwn(@TempDir Path dir) throws Exception {
    Path config = render(dir, true);
    assertRoute(config, "watchdog", "alertname=Watchdog", "severity=none", "service=monitoring");
    assertRoute(config, "slack-critical", "alertname=KeikoBackendDown", "severity=critical", "service=backend");
    assertRoute(config, "slack-warning", "alertname=HostHighCpuUsage", "severity=warning", "service=host");
    String text = Files.readString(config);
    // both Slack receivers send resolved messages, and each message links runbook, dashboard, graph and silence
    assertEquals(2, text.split("send_resolved: true", -1).length - 1, text);
    for (String link : List.of(".Annotations.runbook_url", ".Annotations.dashboard_url", ".GeneratorURL",
        ".ExternalURL }}/#/silences/new?filter=")) {
      assertTrue(text.contains(link), link + "\n" + text);
    }
    assertTrue(text.contains("repeat_interval: 1h") && text.contains("repeat_interval: 12h"), text);
  }

  @Test
  void withoutSlackTheConfigIsStillValidAndWatchdogKeepsItsReceiver(@TempDir Path dir) throws Exception {
    Path config = render(dir, false);
    assertRoute(config, "watchdog", "alertname=Watchdog", "severity=none");
    assertRoute(config, "default", "alertname=KeikoBackendDown", "severity=critical", "service=backend");
    assertRoute(config, "default", "alertname=HostHighCpuUsage", "severity=warning", "service=host");
  }

  @Test
  void deadMansSwitchUrlBecomesTheWatchdogsWebhook(@TempDir Path dir) throws Exception {
    Path config = render(dir, true, ContentFixtures.config(
        "alerting: {dead_mans_switch_url: \"https://hc-ping.invalid/1234\"}\n"));
    assertRoute(config, "watchdog", "alertname=Watchdog", "severity=none", "service=monitoring");
    String text = Files.readString(config);
    assertTrue(text.contains("""
          - name: watchdog
            webhook_configs:
              # Called every minute while the pipeline works; the service alerts when the calls stop.
              - url: https://hc-ping.invalid/1234
                send_resolved: false
        """), text);
  }
}
