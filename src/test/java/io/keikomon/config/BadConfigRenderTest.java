package io.keikomon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.cli.Services;
import io.keikomon.core.Workspace;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The promise for a broken keiko.yml, checked through `keiko-mon render`: exit 3, the first line names
 * file:line:col and the key, no stack trace, and nothing is written (no output folder, no .env).
 */
class BadConfigRenderTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      bad indentation     | ports:\\n  grafana: 3001\\n prometheus: 9090\\n          | keiko.yml:3:2: ports.prometheus:
      tab indentation     | ports:\\n\\tgrafana: 3001\\n                            | keiko.yml:2:1: ports:
      unclosed quote      | project: "keiko\\n                                    | keiko.yml:1:10: project:
      unclosed bracket    | backend:\\n  targets: [a:1, b:2\\nbind: 1.2.3.4\\n      | keiko.yml:2:12: backend.targets:
      duplicate key       | ports:\\n  grafana: 3001\\n  grafana: 3002\\n         | keiko.yml:3:3: ports.grafana:
      no space after colon| ports:\\n  grafana:3001\\n                             | keiko.yml:2:3: ports:
      empty image         | images: {grafana: ''}\\n                               | keiko.yml:1:19: images.grafana:
      port out of range   | ports: {grafana: 70000}\\n                             | keiko.yml:1:18: ports.grafana:
      unknown key         | prometheus: {retension: 30d}\\n                        | keiko.yml:1:14: prometheus.retension:
      not a mapping       | just some text\\n                                      | keiko.yml:1:1: expected a mapping
      """)
  void exitsThreeNamesThePlaceAndWritesNothing(String name, String yaml, String firstLinePrefix) throws IOException {
    Workspace ws = TestWorkspaces.withConfig(yaml.replace("\\n", "\n").replace("\\t", "\t"));
    CliHarness.Result r = new CliHarness(new Services(ws, false)).run("render");
    assertEquals(3, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith(firstLinePrefix + " "), r::toString);
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r::toString);
    try (Stream<Path> files = Files.list(ws.dir())) {
      assertEquals(List.of("keiko.yml"), files.map(p -> p.getFileName().toString()).toList(), "nothing written");
    }
  }
}
