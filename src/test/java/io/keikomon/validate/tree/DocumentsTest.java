package io.keikomon.validate.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.Problem;
import io.keikomon.render.RenderedTree;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentsTest {
  @Test
  void yamlSyntaxErrorIsReportedWithItsPosition() {
    Documents.Parsed p = Documents.parse("a.yml", "route:\n  receiver: x\n routes: [\n");
    assertTrue(p.root().isEmpty());
    Problem e = p.problems().get(0);
    assertEquals("a.yml", e.file());
    assertEquals(3, e.line(), e.render());
    assertTrue(e.message().startsWith("invalid YAML"), e.render());
  }

  @Test
  void jsonSyntaxErrorIsReportedWithItsPosition() {
    Documents.Parsed p = Documents.parse("d.json", "{\n  \"panels\": [\n    {\"id\": 1,}\n  ]\n}\n");
    assertTrue(p.root().isEmpty());
    Problem e = p.problems().get(0);
    assertEquals(3, e.line(), e.render());
    assertEquals(14, e.column(), e.render());
    assertTrue(e.message().startsWith("invalid JSON"), e.render());
  }

  @Test
  void valuesRememberWhereTheyAre() {
    DocNode.Mapping root = (DocNode.Mapping) Documents.parse("d.json",
        "{\"a\": {\n  \"b\": \"x\"}}").root().orElseThrow();
    DocNode b = root.mapping("a").orElseThrow().get("b").orElseThrow();
    assertEquals(2, b.line());
    assertEquals(8, b.column());
    DocNode.Mapping yaml = (DocNode.Mapping) Documents.parse("a.yml", "a:\n  - b: true\n").root().orElseThrow();
    DocNode.Mapping item = (DocNode.Mapping) yaml.sequence("a").get(0);
    assertEquals(DocNode.Scalar.Kind.BOOLEAN, ((DocNode.Scalar) item.get("b").orElseThrow()).kind());
    assertEquals(2, item.line());
    assertEquals(5, item.column());
  }

  @Test
  void duplicateYamlKeysAreErrors() {
    List<Problem> problems = Documents.parse("a.yml", "route: {}\nroute: {}\n").problems();
    assertEquals("a.yml:2:1: route: duplicate key (hint: keep one of the entries; Prometheus and Alertmanager"
        + " reject duplicate keys)", problems.get(0).render());
  }

  @Test
  void treeParsesYamlAndJsonButNeverSecrets() {
    ParsedTree t = ParsedTree.parse(new RenderedTree(Map.of(
        "a.yml", "x: [", "b.json", "{}", "secrets/redis_passwords.json", "{not json: s3cret", "README", "{")),
        "monitoring");
    assertEquals(List.of("b.json"), List.copyOf(t.docs().keySet()));
    assertEquals(1, t.problems().size());
    assertEquals("monitoring/a.yml", t.problems().get(0).file());
  }

  /** Each scalar's source text used to be found by counting from the file's start: quadratic in its size. */
  @Test
  void aPrometheusConfigWith20kJobsParsesInLinearTime() {
    StringBuilder b = new StringBuilder("scrape_configs:\n");
    for (int i = 0; i < 20_000; i++) {
      b.append("  - job_name: worker").append(i).append("\n    static_configs:\n      - targets:\n          - host")
          .append(i % 250).append(".example:9100\n");
    }
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    long t0 = cpu.getCurrentThreadCpuTime();
    Documents.Parsed p = Documents.parse("prometheus.yml", b.toString());
    double seconds = (cpu.getCurrentThreadCpuTime() - t0) / 1e9;
    assertTrue(p.problems().isEmpty(), p.problems().toString());
    assertEquals(20_000, ((DocNode.Mapping) p.root().orElseThrow()).sequence("scrape_configs").size());
    assertTrue(seconds < 3, "took " + seconds + " s of CPU");
  }

  @Test
  void sourceTextStaysRightAfterCharactersOutsideTheBmp() {
    Documents.Parsed p = Documents.parse("a.yml", "a: \"\uD83D\uDE00 smile\"\nb: 'rate(x[5m])'\n");
    DocNode.Mapping root = (DocNode.Mapping) p.root().orElseThrow();
    assertEquals("'rate(x[5m])'", ((DocNode.Scalar) root.get("b").orElseThrow()).source());
  }

  @Test
  void deeplyNestedJsonIsAPositionedProblemNotAStackOverflow() {
    Documents.Parsed p = Documents.parse("d.json", "{\"panels\": " + "[".repeat(5000) + "\n");
    assertTrue(p.root().isEmpty());
    Problem e = p.problems().get(0);
    assertEquals(1, e.line(), e.render());
    assertTrue(e.column() > 100 && e.column() < 120, e.render());
    assertTrue(e.message().startsWith("over a limit: Document nesting depth (101) exceeds the maximum allowed (100"),
        e.render());
  }
}
