package io.keikomon.validate.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keikomon.render.RenderedTree;
import io.keikomon.validate.tree.ParsedTree;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerPathsTest {
  @Test
  void composeBindMountsMapContainerPathsBackToTheFolder() {
    ParsedTree tree = ParsedTree.parse(new RenderedTree(Map.of("docker-compose.monitoring.yml", """
        services:
          prometheus:
            volumes:
              - ./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro
              - ./prometheus/rules:/etc/prometheus/rules:ro
              - prometheus-data:/prometheus
          alertmanager:
            volumes:
              - {type: bind, source: ./alertmanager, target: /etc/alertmanager}
        """)), "");
    ContainerPaths paths = ContainerPaths.of(tree);
    assertEquals("rule_files: ['rules/*.yml', rules/extra.yml, /etc/prometheus/rulesX/a.yml]",
        paths.rewrite("prometheus/prometheus.yml",
            "rule_files: ['/etc/prometheus/rules/*.yml', /etc/prometheus/rules/extra.yml, /etc/prometheus/rulesX/a.yml]"));
    assertEquals("templates: ['./templates/*.tmpl']",
        paths.rewrite("alertmanager/alertmanager.yml", "templates: ['/etc/alertmanager/templates/*.tmpl']"));
  }

  @Test
  void withoutComposeTheStandardMountsAreAssumed() {
    ContainerPaths paths = ContainerPaths.of(ParsedTree.parse(new RenderedTree(Map.of()), ""));
    assertEquals("rule_files: [./rules/*.yml]",
        paths.rewrite("prometheus/prometheus.yml", "rule_files: [/etc/prometheus/rules/*.yml]"));
    assertEquals("../rules/a.yml", ContainerPaths.relative("prometheus/tests", "prometheus/rules/a.yml"));
  }
}
