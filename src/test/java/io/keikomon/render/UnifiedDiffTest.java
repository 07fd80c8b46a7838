package io.keikomon.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keikomon.render.UnifiedDiff.Edit;
import io.keikomon.render.UnifiedDiff.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {

  @Test
  void equalTextsHaveNoDiff() {
    assertEquals("", UnifiedDiff.of("a", "b", "x\ny\n", "x\ny\n"));
  }

  @Test
  void aChangedLineIsShownWithThreeLinesOfContext() {
    String before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    String after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";

    assertEquals("""
        --- a/f
        +++ b/f
        @@ -2,7 +2,7 @@
         2
         3
         4
        -5
        +five
         6
         7
         8
        """, UnifiedDiff.of("a/f", "b/f", before, after));
  }

  @Test
  void distantChangesGetSeparateHunksWithCorrectLineNumbers() {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      lines.add(String.valueOf(i));
    }
    String before = String.join("\n", lines) + "\n";
    String after = before.replace("\n2\n", "\n2\ninserted\n").replace("\n18\n", "\n");

    assertEquals("""
        --- a/f
        +++ b/f
        @@ -1,5 +1,6 @@
         1
         2
        +inserted
         3
         4
         5
        @@ -15,6 +16,5 @@
         15
         16
         17
        -18
         19
         20
        """, UnifiedDiff.of("a/f", "b/f", before, after));
  }

  @Test
  void aNewFileIsAllInsertionsFromDevNull() {
    assertEquals("""
        --- /dev/null
        +++ b/new
        @@ -0,0 +1,2 @@
        +a
        +b
        """, UnifiedDiff.of("a/new", "b/new", null, "a\nb\n"));
  }

  /** The edit script rebuilds the new text and is as short as the longest common subsequence allows. */
  @Test
  void editsAreMinimalAndReproduceTheNewText() {
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      List<String> a = randomLines(random);
      List<String> b = randomLines(random);

      List<Edit> edits = UnifiedDiff.edits(a, b);

      List<String> rebuiltA = edits.stream().filter(e -> e.op() != Op.INSERT).map(Edit::line).toList();
      List<String> rebuiltB = edits.stream().filter(e -> e.op() != Op.DELETE).map(Edit::line).toList();
      assertEquals(a, rebuiltA);
      assertEquals(b, rebuiltB);
      long kept = edits.stream().filter(e -> e.op() == Op.KEEP).count();
      assertEquals(lcsLength(a, b), kept, () -> a + " -> " + b);
    }
  }

  private static List<String> randomLines(Random random) {
    List<String> lines = new ArrayList<>();
    int n = random.nextInt(12);
    for (int i = 0; i < n; i++) {
      lines.add(String.valueOf((char) ('a' + random.nextInt(4))));
    }
    return lines;
  }

  /** Textbook dynamic programming, independent of the implementation under test. */
  private static int lcsLength(List<String> a, List<String> b) {
    int[][] t = new int[a.size() + 1][b.size() + 1];
    for (int i = 1; i <= a.size(); i++) {
      for (int j = 1; j <= b.size(); j++) {
        t[i][j] = a.get(i - 1).equals(b.get(j - 1)) ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
      }
    }
    return t[a.size()][b.size()];
  }
}
