package io.keikomon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

class YamlTreeTest {

  private static Node parse(String yaml, String label) {
    return YamlTree.parse(yaml, label).root().orElseThrow();
  }

  @Test
  void overlayMergesMapsReplacesListsAndKeepsEachValuesPosition() {
    Node base = parse("a: {x: 1, y: 2}\nl: [1, 2, 3]\ns: base\n", "base");
    Node user = parse("a: {y: 20, z: 30}\nl: [9]\n", "user");
    MappingNode merged = (MappingNode) YamlTree.overlay(base, user);
    Section top = new Section(new java.util.ArrayList<>(), merged, "", ConfigMapper.keys("a", "l", "s"));
    Section a = top.section("a", ConfigMapper.keys("x", "y", "z"));
    assertEquals(1, a.integer("x"));
    assertEquals(20, a.integer("y"));
    assertEquals(30, a.integer("z"));
    assertEquals(java.util.List.of("9"), top.strings("l"));
    assertEquals("base", top.string("s"));
    assertEquals("user:1:8", YamlTree.position(a.value("y")));
    assertEquals("base:1:8", YamlTree.position(a.value("x")));
  }

  @Test
  void aValueOfAnotherKindReplacesTheDefault() {
    Node merged = YamlTree.overlay(parse("a: {x: 1}\n", "base"), parse("a: [1]\n", "user"));
    java.util.List<Problem> problems = new java.util.ArrayList<>();
    new Section(problems, merged, "", ConfigMapper.keys("a")).section("a", ConfigMapper.keys("x"));
    assertEquals("user:1:4: a: expected a mapping (key: value lines), got a list (hint: indent the keys of a below"
        + " it, e.g. x: ...)", problems.get(0).render());
  }

  @Test
  void keyPathAtFollowsIndentationEvenInBrokenYaml() {
    String text = "ports:\n  grafana: 3001\n prometheus: [9090\nimages:\n  - weird\nbackend:\n  labels:\n    route: x\n";
    assertEquals("ports", YamlTree.keyPathAt(text, 1));
    assertEquals("ports.grafana", YamlTree.keyPathAt(text, 2));
    assertEquals("ports.prometheus", YamlTree.keyPathAt(text, 3));
    assertEquals("images", YamlTree.keyPathAt(text, 5));
    assertEquals("backend.labels.route", YamlTree.keyPathAt(text, 8));
    assertEquals("", YamlTree.keyPathAt("# only a comment\n", 1));
  }

  @Test
  void emptyDocumentHasNoRoot() {
    assertEquals(Optional.empty(), YamlTree.parse("", "f").root());
    assertEquals(Optional.empty(), YamlTree.parse("~\n", "f").root());
  }
}
