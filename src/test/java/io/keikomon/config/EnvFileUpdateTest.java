package io.keikomon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** New values for some .env variables; every other byte stays. */
class EnvFileUpdateTest {
  @Test
  void onlyTheValuesChangeCommentsOrderPrefixAndOtherLinesStay() {
    String before = "# keep me\n  export A=old # trailing\nB='x y'\n\nC=3\n";
    String after = EnvFileUpdate.apply(before, Map.of("A", "new"));
    assertEquals("# keep me\n  export A=new\nB='x y'\n\nC=3\n", after);
  }

  @Test
  void theLastAssignmentIsTheOneComposeUsesAndTheOneRewritten() {
    String after = EnvFileUpdate.apply("A=first\nA=second\n", Map.of("A", "new"));
    assertEquals("A=first\nA=new\n", after);
    assertEquals("new", EnvFile.parse(after, ".env").get("A").orElseThrow().value());
  }

  @Test
  void aMissingVariableIsAppendedAndACommentedOneIsLeftAlone() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("P", "p1");
    values.put("Q", "needs \"quotes\" #");
    String after = EnvFileUpdate.apply("# P=example\nX=1", values);
    assertEquals("# P=example\nX=1\nP=p1\nQ=\"needs \\\"quotes\\\" #\"\n", after);
    EnvFile parsed = EnvFile.parse(after, ".env");
    assertEquals("needs \"quotes\" #", parsed.get("Q").orElseThrow().value());
    assertEquals("1", parsed.get("X").orElseThrow().value());
  }

  @Test
  void windowsLineEndingsAreKept() {
    assertEquals("A=new\r\nB=2\r\nC=3\r\n", EnvFileUpdate.apply("A=old\r\nB=2\r\n", Map.of("A", "new", "C", "3")));
  }

  @Test
  void anEmptyFileGetsTheAssignments() {
    assertEquals("A=1\n", EnvFileUpdate.apply("", Map.of("A", "1")));
  }
}
