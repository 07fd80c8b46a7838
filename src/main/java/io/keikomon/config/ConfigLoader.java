package io.keikomon.config;

import io.keikomon.core.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/**
 * Loads keiko.yml: the user's file laid over the embedded default (a keiko.yml only holds what differs),
 * checked as a whole so that every problem is reported at once, with its position.
 */
public final class ConfigLoader {
  static final String DEFAULT_RESOURCE = "/defaults/keiko.yml";
  /** 20k extra targets are about 1.2 MB. */
  static final int MAX_BYTES = 4 << 20;

  private ConfigLoader() {}

  /**
   * @throws ConfigException with every problem found when keiko.yml (or .env, or PROMETHEUS_RETENTION)
   *     has any error
   */
  public static LoadedConfig load(Workspace ws) {
    List<Problem> problems = new ArrayList<>();
    boolean readable = true;
    Node tree = defaultTree();
    String source = LoadedConfig.EMBEDDED_DEFAULT;
    String label = ws.configFile().getFileName().toString();
    if (Files.exists(ws.configFile())) {
      source = label;
      TextFile.Content text = TextFile.read(ws.configFile(), label, MAX_BYTES);
      text.problem().ifPresent(problems::add);
      readable = text.text().isPresent();
      if (readable) {
        YamlTree.Parsed user = YamlTree.parse(text.text().get(), label);
        problems.addAll(user.problems());
        readable = !user.malformed();
        if (user.root().isPresent()) {
          tree = YamlTree.overlay(tree, user.root().get());
        }
      }
    }
    Path yamlSpelling = ws.dir().resolve("keiko.yaml");
    if (source.equals(LoadedConfig.EMBEDDED_DEFAULT) && Files.exists(yamlSpelling)) {
      // Easy to miss: the file is there, yet every setting in it would silently not apply.
      problems.add(Problem.warning("keiko.yaml", 0, 0, "", "is not read; the embedded default applies",
          "rename it to " + label));
    }
    EnvFile envFile = SecretsResolver.readEnvFile(ws);
    problems.addAll(envFile.problems());
    SecretsResolver.exposureWarning(ws).ifPresent(problems::add);
    SecretsResolver.weakPasswordWarning(ws, envFile).ifPresent(problems::add);
    KeikoConfig config = null;
    // Malformed YAML has no tree to check; its parse error is the one problem worth showing.
    if (readable) {
      config = new ConfigMapper(problems, label).map(tree);
      checkOutput(config, tree, ws, problems);
      config = withRetentionOverride(config, ws, envFile, problems);
    }
    List<Problem> inOrder = inReadingOrder(problems, List.of(label, envFile.label()));
    if (inOrder.stream().anyMatch(Problem::isError)) {
      throw new ConfigException(inOrder);
    }
    return new LoadedConfig(config, source, inOrder);
  }

  /** Problems sorted as a reader meets them: file by file ({@code files} first), then line and column. */
  private static List<Problem> inReadingOrder(List<Problem> problems, List<String> files) {
    Comparator<Problem> byFile = Comparator.comparingInt(p -> {
      int i = files.indexOf(p.file());
      return i < 0 ? files.size() : i;
    });
    return problems.stream()
        .sorted(byFile.thenComparingInt(Problem::line).thenComparingInt(Problem::column))
        .toList();
  }

  /**
   * True when no setting comes from the project folder: there is no keiko.yml, or it holds nothing but
   * comments. Such a folder runs the embedded default, whose project name any other folder shares.
   */
  public static boolean usesEmbeddedDefault(Workspace ws) {
    if (!Files.exists(ws.configFile())) {
      return true;
    }
    if (!Files.isRegularFile(ws.configFile())) {
      return false;
    }
    Optional<String> text = TextFile.read(ws.configFile(), "keiko.yml", MAX_BYTES).text();
    if (text.isEmpty()) {
      return false;
    }
    YamlTree.Parsed parsed = YamlTree.parse(text.get(), "keiko.yml");
    return parsed.problems().isEmpty() && parsed.root().isEmpty();
  }

  /** What the embedded default means for a user: "project keiko, ports grafana 3000, ...". */
  public static String describeDefault() {
    KeikoConfig d = defaults();
    KeikoConfig.Ports p = d.ports();
    return "project " + d.project() + ", output " + d.output() + "/, ports on " + d.bind() + ": grafana " + p.grafana()
        + ", prometheus " + p.prometheus() + ", alertmanager " + p.alertmanager() + ", jaeger " + p.jaeger()
        + ", otlp " + p.otlpGrpc() + "/" + p.otlpHttp();
  }

  /** The embedded default alone; for tests and for commands that need no project folder. */
  public static KeikoConfig defaults() {
    List<Problem> problems = new ArrayList<>();
    KeikoConfig config = new ConfigMapper(problems, LoadedConfig.EMBEDDED_DEFAULT).map(defaultTree());
    if (problems.stream().anyMatch(Problem::isError)) {
      throw new IllegalStateException("the embedded default keiko.yml is invalid: " + problems);
    }
    return config;
  }

  /** The annotated default keiko.yml, exactly as shipped (init writes it). */
  public static String defaultText() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the keiko-mon jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parsed once per process: nothing changes a node tree (overlay builds new mappings). */
  private static final class DefaultTree {
    static final Node ROOT = parse();

    private static Node parse() {
      YamlTree.Parsed parsed = YamlTree.parse(defaultText(), LoadedConfig.EMBEDDED_DEFAULT);
      if (!parsed.problems().isEmpty() || parsed.root().isEmpty()) {
        throw new IllegalStateException("the embedded default keiko.yml does not parse: " + parsed.problems());
      }
      return parsed.root().get();
    }
  }

  static Node defaultTree() {
    return DefaultTree.ROOT;
  }

  private static void checkOutput(KeikoConfig c, Node tree, Workspace ws, List<Problem> problems) {
    OutputFolder.problem(c.output(), ws.dir(), ws.env().get("HOME")).ifPresent(what -> {
      Node at = !(tree instanceof MappingNode m) ? tree : m.getValue().stream()
          .filter(t -> YamlTree.keyText(t).equals("output")).map(NodeTuple::getValueNode).findFirst().orElse(tree);
      problems.add(YamlTree.error(at, "output", "\"" + c.output() + "\" " + what, OutputFolder.hint()));
    });
  }

  /** PROMETHEUS_RETENTION (environment first, then .env) replaces prometheus.retention. */
  private static KeikoConfig withRetentionOverride(
      KeikoConfig c, Workspace ws, EnvFile envFile, List<Problem> problems) {
    String key = Secrets.PROMETHEUS_RETENTION;
    String fromEnv = ws.env().get(key);
    Optional<EnvFile.Entry> fromFile = envFile.get(key);
    String value;
    String file;
    int line;
    if (fromEnv != null && !fromEnv.isEmpty()) {
      value = fromEnv;
      file = "environment";
      line = 0;
    } else if (fromFile.isPresent() && !fromFile.get().value().isEmpty()) {
      value = fromFile.get().value();
      file = envFile.label();
      line = fromFile.get().line();
    } else {
      return c;
    }
    if (!Durations.isPositive(value)) {
      problems.add(Problem.error(file, line, line == 0 ? 0 : 1, key,
          "\"" + value + "\" is not a Prometheus duration longer than 0 (it overrides prometheus.retention)",
          Durations.HINT));
      return c;
    }
    KeikoConfig.PrometheusSettings p = c.prometheus();
    return new KeikoConfig(c.version(), c.project(), c.output(), c.bind(), c.ports(), c.images(),
        new KeikoConfig.PrometheusSettings(value, p.retentionSize(), p.scrapeInterval(), p.evaluationInterval()),
        c.backend(), c.postgres(), c.redis(), c.tracing(), c.components(), c.security(), c.alerting(), c.alerts(),
        c.extraTargets(), c.customMetrics(), c.resources(), c.mode(), c.ha(), c.federation());
  }
}
