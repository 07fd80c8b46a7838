package io.keikomon.validate.oracle;

import io.keikomon.config.Problem;
import io.keikomon.validate.tree.ParsedTree;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns promtool/amtool output into problems with file names (as the user sees them) and, where the
 * tool gives one, a line and column. The tools name the file they are working on in a "Checking X" or
 * "Unit Testing: X" line, and some messages start with "X: line:col:".
 */
final class ToolOutput {
  private static final Pattern CURRENT = Pattern.compile("^(?:Checking|Unit Testing:)\\s+'?([^'\\s]+)'?(.*)$");
  private static final Pattern POSITIONED = Pattern.compile("^\\s*([^\\s:]+): (\\d+):(\\d+): (.*)$");
  private static final Pattern YAML_LINE = Pattern.compile("\\bline (\\d+)\\b");
  private static final Pattern FAILED = Pattern.compile("^\\s*FAILED:?\\s*(.*)$");

  private ToolOutput() {}

  static List<Problem> problems(String output, ParsedTree tree, String fallbackFile, String tool) {
    List<Problem> problems = new ArrayList<>();
    String current = fallbackFile;
    List<String> block = null; // lines of a FAILED: block without a message of its own
    for (String line : output.split("\\R")) {
      Matcher m;
      if ((m = CURRENT.matcher(line)).matches()) {
        flush(block, tree, current, tool, problems);
        block = null;
        current = m.group(1);
        Matcher inline = FAILED.matcher(m.group(2));
        if (inline.matches()) {
          problems.add(problem(tree, current, inline.group(1), tool));
        }
      } else if ((m = POSITIONED.matcher(line)).matches() && tree.tree().contains(m.group(1))) {
        problems.add(Problem.error(tree.display(m.group(1)), Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)), "", tool + ": " + m.group(4).trim(), null));
        block = null;
      } else if ((m = FAILED.matcher(line)).matches()) {
        flush(block, tree, current, tool, problems);
        block = new ArrayList<>();
        if (!m.group(1).isBlank()) {
          block.add(m.group(1).trim());
        }
      } else if (block != null && !line.isBlank() && !line.startsWith("amtool: error: failed to validate")) {
        block.add(line.trim());
      }
    }
    flush(block, tree, current, tool, problems);
    return problems;
  }

  private static void flush(List<String> block, ParsedTree tree, String file, String tool, List<Problem> out) {
    if (block != null && !block.isEmpty()) {
      out.add(problem(tree, file, String.join(" ", block), tool));
    }
  }

  private static Problem problem(ParsedTree tree, String rel, String message, String tool) {
    Matcher line = YAML_LINE.matcher(message);
    int at = line.find() ? Integer.parseInt(line.group(1)) : 0;
    return Problem.error(tree.display(rel), at, at > 0 ? 1 : 0, "",
        tool + ": " + message.replaceAll("\\s+", " ").trim(), null);
  }
}
