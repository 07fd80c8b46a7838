package io.keikomon.compose;

import io.keikomon.config.ConfigException;
import io.keikomon.config.Problem;
import io.keikomon.config.YamlLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a Compose-spec file into a {@link ComposeModel}. Every key keiko-mon cannot honour is reported with
 * its position and dotted path (an error when ignoring it would change what runs, a warning when it is only
 * informative); nothing is dropped silently. {@code x-*} extension keys are Compose's own "ignore me" marker.
 */
public final class ComposeParser {
  private final Interpolator interpolator;

  /** {@code variables}: what {@code ${VAR}} in the file expands to (environment, then .env). */
  public ComposeParser(Map<String, String> variables) {
    this.interpolator = new Interpolator(variables);
  }

  public record Result(ComposeModel model, List<Problem> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * @param file absolute path of the compose file (relative sources resolve against its folder)
   * @param label how problems name the file (e.g. "monitoring/docker-compose.monitoring.yml")
   * @param project the project name from keiko.yml, used unless the file sets {@code name:}
   * @throws ConfigException with every error (and the warnings) when the file cannot be honoured
   */
  public Result parse(Path file, String label, String content, String project) {
    ComposeNodes nodes = new ComposeNodes(label, interpolator);
    Node root;
    try {
      LoadSettings settings = YamlLimits.settings(label).setAllowDuplicateKeys(false).build();
      root = YamlLimits.compose(content, settings).orElse(null);
    } catch (YamlLimits.Refused e) {
      throw new ConfigException(List.of(e.problem(label)));
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      int col = e.getProblemMark().map(m -> m.getColumn() + 1).orElse(0);
      throw new ConfigException(List.of(Problem.error(label, line, col, "", "not valid YAML: " + e.getProblem(),
          "fix the file by hand, or delete it and run `keiko-mon render`")));
    } catch (YamlEngineException e) {
      throw new ConfigException(List.of(Problem.error(label, 0, 0, "", "not valid YAML: " + e.getMessage(),
          "fix the file by hand, or delete it and run `keiko-mon render`")));
    }
    if (!(root instanceof MappingNode rootMap)) {
      nodes.error(root, "", "must be a mapping with a `services:` key", null);
      throw new ConfigException(nodes.problems);
    }
    ComposeModel model = new ComposeModelReader(nodes, file.getParent()).model(rootMap, project, file);
    if (nodes.problems.stream().anyMatch(Problem::isError)) {
      throw new ConfigException(nodes.problems);
    }
    return new Result(model, nodes.problems);
  }
}
