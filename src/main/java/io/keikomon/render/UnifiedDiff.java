package io.keikomon.render;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Line diff (Myers' O(ND) algorithm) printed in unified format with three lines of context. */
final class UnifiedDiff {
  private static final int CONTEXT = 3;
  /** Past this many differences a line-by-line diff is no easier to read than "all replaced". */
  private static final int MAX_EDIT_DISTANCE = 4000;

  enum Op { KEEP, DELETE, INSERT }

  record Edit(Op op, String line) {}

  private UnifiedDiff() {}

  /**
   * The diff from {@code oldText} to {@code newText} with {@code --- oldName} / {@code +++ newName} headers, or
   * "" when they are equal. A null text stands for a missing file.
   */
  static String of(String oldName, String newName, String oldText, String newText) {
    List<String> a = lines(oldText);
    List<String> b = lines(newText);
    List<Edit> edits = edits(a, b);
    if (edits.stream().allMatch(e -> e.op() == Op.KEEP)) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(oldText == null ? "/dev/null" : oldName).append('\n');
    out.append("+++ ").append(newText == null ? "/dev/null" : newName).append('\n');
    appendHunks(out, edits);
    return out.toString();
  }

  static List<String> lines(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    if (text.endsWith("\n")) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  /** The shortest edit script turning {@code a} into {@code b}. */
  static List<Edit> edits(List<String> a, List<String> b) {
    int prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix
        && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
      suffix++;
    }
    List<Edit> edits = new ArrayList<>();
    for (int i = 0; i < prefix; i++) {
      edits.add(new Edit(Op.KEEP, a.get(i)));
    }
    edits.addAll(middle(a.subList(prefix, a.size() - suffix), b.subList(prefix, b.size() - suffix)));
    for (int i = a.size() - suffix; i < a.size(); i++) {
      edits.add(new Edit(Op.KEEP, a.get(i)));
    }
    return edits;
  }

  private static List<Edit> middle(List<String> a, List<String> b) {
    int n = a.size();
    int m = b.size();
    int max = n + m;
    int offset = max + 1;
    int[] v = new int[2 * max + 3];
    List<int[]> trace = new ArrayList<>();
    for (int d = 0; d <= Math.min(max, MAX_EDIT_DISTANCE); d++) {
      trace.add(v.clone());
      for (int k = -d; k <= d; k += 2) {
        int x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
            ? v[offset + k + 1] : v[offset + k - 1] + 1;
        int y = x - k;
        while (x < n && y < m && a.get(x).equals(b.get(y))) {
          x++;
          y++;
        }
        v[offset + k] = x;
        if (x >= n && y >= m) {
          return backtrack(a, b, trace, offset);
        }
      }
    }
    List<Edit> replaced = new ArrayList<>();
    a.forEach(line -> replaced.add(new Edit(Op.DELETE, line)));
    b.forEach(line -> replaced.add(new Edit(Op.INSERT, line)));
    return replaced;
  }

  private static List<Edit> backtrack(List<String> a, List<String> b, List<int[]> trace, int offset) {
    List<Edit> reversed = new ArrayList<>();
    int x = a.size();
    int y = b.size();
    for (int d = trace.size() - 1; d >= 0; d--) {
      int[] v = trace.get(d);
      int k = x - y;
      int prevK = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? k + 1 : k - 1;
      int prevX = v[offset + prevK];
      int prevY = prevX - prevK;
      while (x > prevX && y > prevY) {
        reversed.add(new Edit(Op.KEEP, a.get(x - 1)));
        x--;
        y--;
      }
      if (d > 0) {
        if (x == prevX) {
          reversed.add(new Edit(Op.INSERT, b.get(y - 1)));
        } else {
          reversed.add(new Edit(Op.DELETE, a.get(x - 1)));
        }
      }
      x = prevX;
      y = prevY;
    }
    List<Edit> edits = new ArrayList<>(reversed.size());
    for (int i = reversed.size() - 1; i >= 0; i--) {
      edits.add(reversed.get(i));
    }
    return edits;
  }

  private static void appendHunks(StringBuilder out, List<Edit> edits) {
    int i = 0;
    while (i < edits.size()) {
      if (edits.get(i).op() == Op.KEEP) {
        i++;
        continue;
      }
      // A hunk starts CONTEXT lines before the first change and runs until CONTEXT lines after a change
      // that is followed by more than 2*CONTEXT unchanged lines.
      int start = Math.max(0, i - CONTEXT);
      int end = i;
      int lastChange = i;
      while (end < edits.size()) {
        if (edits.get(end).op() != Op.KEEP) {
          lastChange = end;
        } else if (end - lastChange > 2 * CONTEXT) {
          break;
        }
        end++;
      }
      end = Math.min(edits.size(), lastChange + CONTEXT + 1);
      appendHunk(out, edits, start, end);
      i = end;
    }
  }

  private static void appendHunk(StringBuilder out, List<Edit> edits, int start, int end) {
    int oldLine = 1;
    int newLine = 1;
    for (int j = 0; j < start; j++) {
      Op op = edits.get(j).op();
      oldLine += op != Op.INSERT ? 1 : 0;
      newLine += op != Op.DELETE ? 1 : 0;
    }
    int oldCount = 0;
    int newCount = 0;
    StringBuilder body = new StringBuilder();
    for (int j = start; j < end; j++) {
      Edit e = edits.get(j);
      switch (e.op()) {
        case KEEP -> {
          oldCount++;
          newCount++;
          body.append(' ');
        }
        case DELETE -> {
          oldCount++;
          body.append('-');
        }
        case INSERT -> {
          newCount++;
          body.append('+');
        }
      }
      body.append(e.line()).append('\n');
    }
    out.append("@@ -").append(range(oldLine, oldCount)).append(" +").append(range(newLine, newCount))
        .append(" @@\n").append(body);
  }

  /** "start,count"; an empty range names the line before it, as diff -u does. */
  private static String range(int start, int count) {
    return (count == 0 ? start - 1 : start) + "," + count;
  }
}
