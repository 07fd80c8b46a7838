package io.keikomon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keikomon.core.Workspace;
import io.keikomon.testing.TestWorkspaces;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kind of keiko.yml problem, as the user reads it: file:line:col, key path, message, hint. */
class ConfigProblemsTest {

  private static List<String> problems(String yaml) {
    return problems(TestWorkspaces.withConfig(yaml));
  }

  private static List<String> problems(Workspace ws) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(ws));
    return e.problems().stream().map(Problem::render).toList();
  }

  @Test
  void unknownKeySuggestsTheClosestSibling() {
    assertEquals(List.of("keiko.yml:2:3: prometheus.retension: unknown key (hint: did you mean \"retention\"?)"),
        problems("prometheus:\n  retension: 30d\n"));
  }

  @Test
  void unknownKeyWithNothingCloseListsTheKnownKeys() {
    assertEquals(List.of("keiko.yml:2:3: tracing.sampler: unknown key (hint: known keys here: enabled, retention)"),
        problems("tracing:\n  sampler: 0.5\n"));
  }

  @Test
  void unknownKeyTreatsDashAndUnderscoreAlike() {
    assertEquals(List.of("keiko.yml:2:3: images.node_exporter: unknown key (hint: did you mean \"node-exporter\"?)"),
        problems("images:\n  node_exporter: prom/node-exporter:v1.9.1\n"));
  }

  @Test
  void unknownKeyThatBelongsElsewhereSaysWhere() {
    assertEquals(List.of("keiko.yml:1:1: retention: unknown key (hint: \"retention\" belongs under prometheus or tracing)"),
        problems("retention: 30d\n"));
    assertEquals(List.of("keiko.yml:1:1: grafana: unknown key (hint: \"grafana\" belongs under ports or images or"
        + " components or resources or ha)"), problems("grafana: 3000\n"));
  }

  @Test
  void memoryLimitsAndRetentionSizeAreCheckedWhereTheyAreWritten() {
    assertEquals(List.of(
        "keiko.yml:2:19: prometheus.retention_size: \"10G\" is not a Prometheus size (hint: a number and a unit: B, KB,"
            + " MB, GB, TB, PB or EB (e.g. 10GB), or 0 for no size limit)",
        "keiko.yml:4:24: resources.prometheus.memory: \"lots\" is not a size (hint: a size such as 256m or 2g"
            + " (powers of 1024), or 0 for no limit)",
        "keiko.yml:5:24: resources.grafana.memory: \"1m\" is below the 6 MiB the engine accepts (hint: a size such"
            + " as 256m or 2g (powers of 1024), or 0 for no limit)"),
        problems("prometheus:\n  retention_size: 10G\nresources:\n  prometheus: {memory: lots}\n"
            + "  grafana:    {memory: 1m}\n"));
  }

  @Test
  void wrongTypeNamesExpectedAndGot() {
    assertEquals(List.of("keiko.yml:2:12: ports.grafana: expected an integer, got the string \"three thousand\""),
        problems("ports:\n  grafana: three thousand\n"));
  }

  @Test
  void quotedNumberSuggestsDroppingTheQuotes() {
    assertEquals(List.of("keiko.yml:1:18: ports.grafana: expected an integer, got the string \"3000\""
        + " (hint: write it without quotes: 3000)"), problems("ports: {grafana: \"3000\"}\n"));
  }

  @Test
  void numberWhereAMappingBelongsIsReportedOnceWithoutFollowUps() {
    assertEquals(List.of("keiko.yml:1:8: ports: expected a mapping (key: value lines), got the number 3001"
        + " (hint: indent the keys of ports below it, e.g. grafana: ...)"), problems("ports: 3001\n"));
  }

  @Test
  void booleanWhereAStringBelongsSuggestsQuoting() {
    assertEquals(List.of("keiko.yml:3:14: alerting.slack.channel: expected a string, got the boolean true"
        + " (hint: quote it: \"true\")"), problems("alerting:\n  slack:\n    channel: true\n"));
  }

  @Test
  void badDuration() {
    assertEquals(List.of("keiko.yml:2:20: prometheus.scrape_interval: \"15 sec\" is not a Prometheus duration"
        + " (hint: " + Durations.HINT + ")"), problems("prometheus:\n  scrape_interval: 15 sec\n"));
  }

  @Test
  void tracingRetentionMustBeAPositiveDuration() {
    assertEquals(List.of("keiko.yml:2:14: tracing.retention: \"3 days\" is not a Prometheus duration"
        + " (hint: " + Durations.HINT + ")"), problems("tracing:\n  retention: 3 days\n"));
    assertEquals(List.of("keiko.yml:2:14: tracing.retention: must be longer than 0 (hint: " + Durations.HINT + ")"),
        problems("tracing:\n  retention: 0s\n"));
  }

  @Test
  void durationWithoutUnitSuggestsOne() {
    assertEquals(List.of("keiko.yml:2:14: alerts.cpu.for: \"10\" is not a Prometheus duration"
        + " (hint: add a unit, e.g. 10s or 10m)"), problems("alerts:\n  cpu: {for: 10}\n"));
  }

  @Test
  void badForDurationInAlerts() {
    assertEquals(List.of("keiko.yml:2:14: alerts.cpu.for: \"10 minutes\" is not a Prometheus duration"
        + " (hint: " + Durations.HINT + ")"), problems("alerts:\n  cpu: {for: 10 minutes}\n"));
  }

  @Test
  void zeroIntervalIsRejected() {
    assertEquals(List.of("keiko.yml:1:35: prometheus.evaluation_interval: must be longer than 0 (hint: "
        + Durations.HINT + ")"), problems("prometheus: {evaluation_interval: 0s}\n"));
  }

  @Test
  void portOutOfRange() {
    assertEquals(List.of("keiko.yml:2:15: ports.prometheus: port 70000 is out of range 1-65535"
        + " (hint: pick a free port, e.g. one between 1024 and 65535)"), problems("ports:\n  prometheus: 70000\n"));
  }

  @Test
  void portUsedTwiceNamesBothPlaces() {
    assertEquals(List.of("keiko.yml:3:17: ports.alertmanager: port 3000 is used twice: also by ports.grafana"
        + " (keiko.yml:2:12) (hint: give each service its own host port)"),
        problems("ports:\n  grafana: 3000\n  alertmanager: 3000\n"));
  }

  @Test
  void portClashingWithADefaultPointsAtTheUsersKey() {
    assertEquals(List.of("keiko.yml:2:12: ports.grafana: port 9090 is used twice: also by ports.prometheus"
        + " (the default) (hint: give each service its own host port)"), problems("ports:\n  grafana: 9090\n"));
  }

  @Test
  void portClashingWithJaegersOtlpReceiverIsCaught() {
    assertEquals(List.of("keiko.yml:1:18: ports.grafana: port 4317 is used twice: also by ports.otlp_grpc"
        + " (the default) (hint: give each service its own host port)"), problems("ports: {grafana: 4317}\n"));
  }

  @Test
  void portOfADisabledComponentMayRepeat() {
    ConfigLoader.load(TestWorkspaces.withConfig("ports: {jaeger: 9090}\ntracing: {enabled: false}\n"));
  }

  @Test
  void invalidProjectName() {
    assertEquals(List.of("keiko.yml:1:10: project: \"Keiko Mon\" is not a valid Docker Compose project name"
        + " (hint: use lowercase letters, digits, '-' and '_', starting with a letter or digit, e.g. \"keiko-mon\")"),
        problems("project: Keiko Mon\n"));
  }

  @Test
  void emptyImage() {
    assertEquals(List.of("keiko.yml:2:12: images.grafana: image must not be empty (hint: a pinned image reference"
        + " such as prom/prometheus:v3.5.0; delete the key to use the default)"), problems("images:\n  grafana: \"\"\n"));
  }

  @Test
  void malformedYamlPointsAtTheUnclosedBracketAndNamesItsKey() {
    assertEquals(List.of("keiko.yml:3:15: ports.prometheus: malformed YAML: expected ',' or ']', but got <stream end>"
        + " (while parsing a flow sequence opened here; noticed at line 4, column 1) (hint: close the [ opened here"
        + " with ])"), problems("ports:\n  grafana: 3001\n  prometheus: [9090\n"));
  }

  @Test
  void malformedYamlFromBadIndentation() {
    assertEquals(List.of("keiko.yml:3:2: ports.prometheus: malformed YAML: expected <block end>, but found"
        + " '<block mapping start>' (while parsing a block mapping) (hint: check indentation, colons and quotes at"
        + " this position)"), problems("ports:\n  grafana: 3001\n prometheus: 9090\n"));
  }

  @Test
  void malformedYamlFromATab() {
    assertEquals(List.of("keiko.yml:2:1: ports: malformed YAML: found character '\\t(TAB)' that cannot start any"
        + " token. (Do not use \\t(TAB) for indentation) (while scanning for the next token) (hint: indent with"
        + " spaces, not tabs)"), problems("ports:\n\tgrafana: 3001\n"));
  }

  @Test
  void malformedYamlFromAnUnclosedQuote() {
    assertEquals(List.of("keiko.yml:1:10: project: malformed YAML: found unexpected end of stream (while scanning a"
        + " quoted scalar opened here; noticed at line 2, column 1) (hint: close the quote opened here)"),
        problems("project: \"keiko\n"));
  }

  @Test
  void missingSpaceAfterColon() {
    assertEquals(List.of("keiko.yml:2:3: ports: expected a mapping (key: value lines), got the string"
        + " \"grafana:3001\" (hint: put a space after the colon: \"grafana: 3001\")"),
        problems("ports:\n  grafana:3001\n"));
  }

  @Test
  void unquotedHashIsAComment() {
    assertEquals(List.of("keiko.yml:3:13: alerting.slack.channel: expected a string, got nothing (null) (hint: in"
        + " YAML a # after a space starts a comment; quote the value, e.g. \"#keiko-alerts\")"),
        problems("alerting:\n  slack:\n    channel: #alerts\n"));
  }

  @Test
  void topLevelMustBeAMapping() {
    assertEquals(List.of("keiko.yml:1:1: expected a mapping (key: value lines), got a list (hint: keiko.yml holds"
        + " key: value lines such as version: ...)"), problems("- a\n- b\n"));
  }

  @Test
  void duplicateKey() {
    assertEquals(List.of("keiko.yml:3:3: ports.grafana: duplicate key (first at keiko.yml:2:3)"
        + " (hint: keep one of them; YAML does not merge repeated keys)"),
        problems("ports:\n  grafana: 3001\n  grafana: 3002\n"));
  }

  @Test
  void unsupportedVersion() {
    assertEquals(List.of("keiko.yml:1:10: version: unsupported version 2 (hint: this keiko-mon reads version 1;"
        + " set \"version: 1\" and compare your file with the one `keiko-mon init` writes)"), problems("version: 2\n"));
  }

  @Test
  void badBindAddress() {
    assertEquals(List.of("keiko.yml:1:7: bind: \"localhost:3001\" is not an IP address (hint: use 127.0.0.1 (this"
        + " host only) or the address of one interface; 0.0.0.0 exposes every port to the network)"),
        problems("bind: localhost:3001\n"));
  }

  @Test
  void bindingToEveryInterfaceIsAWarning() {
    assertEquals(List.of("keiko.yml:1:7: warning: bind: Grafana, Prometheus and the other published ports are open to"
        + " the whole network (hint: use 127.0.0.1 unless a firewall protects this host (Docker's port rules bypass"
        + " ufw))"), ConfigLoader.load(TestWorkspaces.withConfig("bind: 0.0.0.0\n")).warnings().stream()
        .map(Problem::render).toList());
  }

  @Test
  void ipv6BindAddressIsAccepted() {
    assertEquals("::1", ConfigLoader.load(TestWorkspaces.withConfig("bind: \"::1\"\n")).config().bind());
  }

  @Test
  void badTargetHostPort() {
    assertEquals(List.of(
        "keiko.yml:2:13: backend.targets[0]: \"http://api:8000\" is not host:port (hint: write only host:port here;"
            + " the scheme goes in `scheme` and the path in `metrics_path`)",
        "keiko.yml:2:32: backend.targets[1]: \"api:0\" is not host:port (hint: e.g. host.docker.internal:8000"
            + " (port 1-65535))"),
        problems("backend:\n  targets: [\"http://api:8000\", \"api:0\"]\n"));
  }

  @Test
  void ratioThresholdOutOfRange() {
    assertEquals(List.of("keiko.yml:3:15: alerts.cpu.critical: 95 is out of range 0..1 (hint: thresholds here are"
        + " ratios: 95% is 0.95)"), problems("alerts:\n  cpu:\n    critical: 95\n"));
  }

  @Test
  void outOfRangeWarningIsNotAlsoReportedAsAboveCritical() {
    assertEquals(List.of("keiko.yml:1:25: alerts.cpu.warning: 95 is out of range 0..1 (hint: thresholds here are"
        + " ratios: 95% is 0.95)"), problems("alerts: {cpu: {warning: 95}}\n"));
  }

  @Test
  void warningAboveCritical() {
    assertEquals(List.of("keiko.yml:2:19: alerts.disk.warning: warning (0.95) is above critical (0.9)"
        + " (hint: the warning threshold must not be above the critical one)"),
        problems("alerts:\n  disk: {warning: 0.95}\n"));
  }

  @Test
  void latencyThresholdNotBelowTheLargestFiniteBucketCouldNeverFire() {
    assertEquals(List.of("keiko.yml:2:16: alerts.latency_p95: critical (10 s) is not below the largest finite latency"
        + " bucket (10 s): a p95 computed from the histogram never exceeds it, so the alert could never fire (hint:"
        + " lower the threshold, or set backend.largest_latency_bucket to the backend's real largest bucket)"),
        problems("alerts:\n  latency_p95: {critical: 10}\n"));
    assertEquals(10.0, ConfigLoader.load(TestWorkspaces.withConfig(
        "backend: {largest_latency_bucket: 30}\nalerts:\n  latency_p95: {critical: 10}\n")).config().alerts()
        .latencyP95().critical());
  }

  @Test
  void negativeTrafficFloor() {
    assertEquals(List.of("keiko.yml:2:34: alerts.error_rate.min_request_rate: must be a number, 0 or more (requests"
        + " per second) (hint: e.g. 0.1: below one request every 10 s the alert does not judge; 0 judges any traffic)"),
        problems("alerts:\n  error_rate: {min_request_rate: -1}\n"));
  }

  @Test
  void thresholdOnAnAlertThatOnlyTakesFor() {
    assertEquals(List.of("keiko.yml:2:18: alerts.service_down.critical: unknown key (hint: known keys here: for)"),
        problems("alerts:\n  service_down: {critical: 1}\n"));
  }

  @Test
  void unknownCustomMetricType() {
    assertEquals(List.of("keiko.yml:2:38: custom_metrics[0].type: unknown metric type \"histgram\""
        + " (hint: did you mean \"histogram\"?)"),
        problems("custom_metrics:\n  - {name: request_size_bytes, type: histgram}\n"));
  }

  @Test
  void badMetricName() {
    assertEquals(List.of("keiko.yml:2:12: custom_metrics[0].name: \"2fa-logins\" is not a Prometheus metric name"
        + " (hint: use letters, digits, '_' and ':', not starting with a digit, e.g. custom_operations_total)"),
        problems("custom_metrics:\n  - {name: 2fa-logins, type: counter}\n"));
  }

  @Test
  void duplicateExtraTargetJobNames() {
    assertEquals(List.of("keiko.yml:4:10: extra_targets[1].job: job name \"worker\" is used twice (first at"
        + " keiko.yml:2:10) (hint: give each extra target its own job name)"),
        problems("extra_targets:\n  - job: worker\n    targets: [w1:9200]\n  - job: worker\n    targets: [w2:9200]\n"));
  }

  @Test
  void emptyTargetList() {
    assertEquals(List.of("keiko.yml:1:20: backend.targets: needs at least one host:port target"
        + " (hint: e.g. [host.docker.internal:8000])"), problems("backend: {targets: []}\n"));
  }

  @Test
  void singleStringWhereAListBelongs() {
    assertEquals(List.of("keiko.yml:1:20: backend.targets: expected a list, e.g. [a, b], got the string"
        + " \"api:8000\""), problems("backend: {targets: api:8000}\n"));
  }

  @Test
  void badLabelNameInCustomMetric() {
    assertEquals(List.of("keiko.yml:2:58: custom_metrics[0].labels[1]: \"le\" is not a usable label name (hint: use"
        + " letters, digits and '_'; \"__\" prefixes and \"le\" on histograms are reserved)"),
        problems("custom_metrics:\n  - {name: job_seconds, type: histogram, labels: [queue, le]}\n"));
  }

  @Test
  void missingRequiredKeyInAListItem() {
    assertEquals(List.of("keiko.yml:2:5: extra_targets[0].targets: missing required key (hint: add \"targets: ...\")"),
        problems("extra_targets:\n  - job: worker\n"));
  }

  @Test
  void retentionFromTheEnvironmentMustBeADuration() {
    Workspace ws = TestWorkspaces.jimfs(java.util.Map.of("PROMETHEUS_RETENTION", "two weeks"));
    assertEquals(List.of("environment: PROMETHEUS_RETENTION: \"two weeks\" is not a Prometheus duration longer"
        + " than 0 (it overrides prometheus.retention) (hint: " + Durations.HINT + ")"), problems(ws));
  }

  @Test
  void severalProblemsInOneFileAreAllReported() {
    List<String> p = problems("""
        version: 1
        project: Keiko
        ports:
          grafana: 0
        prometheus:
          scrape_intervall: 15s
          retention: forever
        alerts:
          memory: {critical: 1.5}
        """);
    assertEquals(List.of(
        "keiko.yml:2:10: project: \"Keiko\" is not a valid Docker Compose project name (hint: use lowercase letters,"
            + " digits, '-' and '_', starting with a letter or digit, e.g. \"keiko\")",
        "keiko.yml:4:12: ports.grafana: port 0 is out of range 1-65535 (hint: pick a free port, e.g. one between 1024"
            + " and 65535)",
        "keiko.yml:6:3: prometheus.scrape_intervall: unknown key (hint: did you mean \"scrape_interval\"?)",
        "keiko.yml:7:14: prometheus.retention: \"forever\" is not a Prometheus duration (hint: " + Durations.HINT + ")",
        "keiko.yml:9:22: alerts.memory.critical: 1.5 is out of range 0..1 (hint: thresholds here are ratios, e.g. 0.9"
            + " for 90%)"), p);
  }
}
