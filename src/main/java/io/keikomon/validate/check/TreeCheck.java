package io.keikomon.validate.check;

import io.keikomon.config.Problem;
import io.keikomon.validate.tree.ParsedTree;
import java.util.List;

/** One semantic check over a parsed output folder. Checks collect every problem; they never throw. */
public interface TreeCheck {
  /** Shown in the summary, e.g. "dashboard datasources". */
  String name();

  List<Problem> check(ParsedTree tree);
}
