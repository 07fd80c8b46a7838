package io.keikomon.config;

import io.keikomon.core.KeikoException;
import java.util.List;
import java.util.stream.Collectors;

/** keiko.yml (or a rendered file) is invalid; carries every problem found, not just the first (exit 3). */
public class ConfigException extends KeikoException {
  private final List<Problem> problems;

  public ConfigException(List<Problem> problems) {
    super(problems.stream().filter(Problem::isError).map(Problem::render).collect(Collectors.joining("\n")),
        "fix the problems listed above, then run the command again");
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
