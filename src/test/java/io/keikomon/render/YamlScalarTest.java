package io.keikomon.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class YamlScalarTest {

  @Test
  void plainWhereNoYamlReaderCouldMisreadIt() {
    for (String s : List.of("prom/prometheus:v3.5.0", "host.docker.internal:8000", "/metrics", "15s", "keiko",
        "redis://host.docker.internal:6379", "--storage.tsdb.retention.time=15d")) {
      assertEquals(s, YamlScalar.of(s));
    }
  }

  @Test
  void quotedWhereYaml11Or12WouldReadSomethingElse() {
    // booleans, nulls, numbers, YAML 1.1 sexagesimals, comments, flow indicators, empty, leading specials
    for (String s : List.of("yes", "No", "on", "null", "8000", "1:30", "127.0.0.1:9090:9090", "1e3", "0x1F",
        "#keiko-alerts", "a b", "{x}", "", "*alias", "&anchor", "!tag", "-", "a: b", "~")) {
      assertEquals('"' + s + '"', YamlScalar.of(s), s);
    }
  }

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    assertEquals("\"say \\\"hi\\\" \\\\ \\n\"", YamlScalar.of("say \"hi\" \\ \n"));
  }
}
