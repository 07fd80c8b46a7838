package io.keikomon.validate;

import io.keikomon.config.ConfigException;
import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.config.LoadedConfig;
import io.keikomon.config.Problem;
import io.keikomon.config.Secrets;
import io.keikomon.config.SecretsResolver;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.Workspace;
import io.keikomon.render.JustRendered;
import io.keikomon.render.RenderedTree;
import io.keikomon.render.Renderer;
import io.keikomon.core.Console;
import io.keikomon.render.SecurityPreparation;
import io.keikomon.render.GrafanaPassword;
import io.keikomon.validate.catalogue.MetricCatalogue;
import io.keikomon.validate.catalogue.MetricSource;
import io.keikomon.validate.check.AlertmanagerCheck;
import io.keikomon.validate.check.DashboardCheck;
import io.keikomon.validate.check.DatasourceCheck;
import io.keikomon.validate.check.AccessCheck;
import io.keikomon.validate.check.FallbackCheck;
import io.keikomon.validate.check.InhibitionLabelsCheck;
import io.keikomon.validate.check.MetricNameCheck;
import io.keikomon.validate.oracle.OracleChecks;
import io.keikomon.validate.oracle.OracleRunner;
import io.keikomon.validate.oracle.PassedRuns;
import io.keikomon.validate.oracle.PassedRunsFile;
import io.keikomon.validate.tree.TreeFiles;
import io.keikomon.validate.tree.TreeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * keiko-mon validate: keiko.yml, then the folder render would write (rendered in memory, so validate
 * proves what render will produce), then, when the output folder exists and differs from that, the files
 * on disk as well, since those are what the containers mount. Every problem is collected; nothing is
 * written except a scratch copy for the oracles, which is deleted afterwards.
 */
public final class ValidateService {
  /** Stands in for a Grafana password nobody generated yet; only ever in memory and the scratch copy. */
  private static final String PLACEHOLDER_PASSWORD = "validate-placeholder";

  /** Where {@link #remembering} keeps the oracle runs that passed, inside the output folder. */
  public static final String PASSED_RUNS = ".keiko-mon/oracle-runs-passed.sha256";

  private final OracleRunner oracles;
  private final boolean remember;

  /** Checks everything, every time. */
  public ValidateService(OracleRunner oracles) {
    this(oracles, false);
  }

  private ValidateService(OracleRunner oracles, boolean remember) {
    this.oracles = oracles;
    this.remember = remember;
  }

  /**
   * The same checks, but an oracle run (a tool, a rule file, an alert's rule tests) whose inputs passed before
   * is not run again; what passes is remembered in the output folder ({@link #PASSED_RUNS}). For {@code up}.
   */
  public static ValidateService remembering(OracleRunner oracles) {
    return new ValidateService(oracles, true);
  }

  /**
   * Validates and throws ConfigException (exit 3) listing every problem when anything is invalid; returns the
   * warnings otherwise. How {@code up} proves the project valid before it touches the stack.
   */
  public List<Problem> requireValid(Workspace ws) {
    return requireValid(ws, Optional.empty());
  }

  /** The same, for a tree the caller has just rendered from {@code ws} (not rendered again). */
  public List<Problem> requireValid(Workspace ws, Optional<JustRendered> justRendered) {
    ValidationReport report;
    try {
      report = validate(ws, justRendered);
    } catch (IOException e) {
      throw new OperationFailedException("cannot read the project folder: " + e.getMessage(),
          "check that the folder and its files are readable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationFailedException("interrupted while validating", null, e);
    }
    if (!report.valid()) {
      throw new ConfigException(report.problems());
    }
    return report.problems();
  }

  public ValidationReport validate(Workspace ws) throws IOException, InterruptedException {
    return validate(ws, Optional.empty());
  }

  private ValidationReport validate(Workspace ws, Optional<JustRendered> justRendered)
      throws IOException, InterruptedException {
    List<Problem> problems = new ArrayList<>();
    List<CheckResult> checks = new ArrayList<>();
    if (justRendered.isPresent()) {
      JustRendered given = justRendered.get();
      problems.addAll(given.loaded().warnings());
      checks.add(CheckResult.passed("keiko.yml", given.loaded().source()));
      checks.add(CheckResult.passed("render", given.tree().size() + " files, just rendered"));
      return validateTree(ws, given.loaded(), given.secrets(), given.tree(), problems, checks);
    }
    LoadedConfig loaded;
    Secrets secrets;
    try {
      loaded = ConfigLoader.load(ws);
      secrets = SecretsResolver.resolve(ws);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      checks.add(CheckResult.failed("keiko.yml", e.problems().stream().filter(Problem::isError).count() + " error(s)"));
      checks.add(CheckResult.skipped("rendered files", "keiko.yml has errors, so there is nothing to render"));
      return new ValidationReport(problems, checks);
    }
    problems.addAll(loaded.warnings());
    checks.add(CheckResult.passed("keiko.yml", loaded.source()));

    KeikoConfig cfg = loaded.config();
    Path outDir = ws.dir().resolve(cfg.output());
    boolean outputExists = Files.isDirectory(outDir);
    RenderedTree rendered;
    try {
      rendered = Renderer.render(cfg, forRender(secrets, outputExists ? outDir : null),
          SecurityPreparation.prepare(ws, cfg, outDir, Console.SILENT, false), ws.templateOverrides());
    } catch (OperationFailedException e) {
      problems.add(Problem.error(ws.dir().relativize(ws.templateOverrides()).toString(), 0, 0, "", e.getMessage(),
          e.hint()));
      checks.add(CheckResult.failed("render", "a template failed"));
      return new ValidationReport(problems, checks);
    }
    checks.add(CheckResult.passed("render", rendered.size() + " files, in memory"));
    return validateTree(ws, loaded, secrets, rendered, problems, checks);
  }

  /** Checks {@code rendered}, and the output folder too where it differs (the containers mount that). */
  private ValidationReport validateTree(Workspace ws, LoadedConfig loaded, Secrets secrets, RenderedTree rendered,
      List<Problem> problems, List<CheckResult> checks) throws IOException, InterruptedException {
    KeikoConfig cfg = loaded.config();
    Path outDir = ws.dir().resolve(cfg.output());
    boolean outputExists = Files.isDirectory(outDir);
    Optional<RenderedTree> disk = Optional.empty();
    if (outputExists) {
      TreeFiles.Read read = TreeFiles.read(outDir, rel -> rendered.contains(rel) || isGlobbed(rel), cfg.output());
      disk = Optional.of(read.tree());
      problems.addAll(read.problems());
      ignored(read.ignored()).ifPresent(checks::add);
    }

    TreeValidator validator = new TreeValidator(List.of(
        new DatasourceCheck(),
        new DashboardCheck(),
        new AccessCheck(),
        new AlertmanagerCheck(secrets.slackWebhookUrl().isEmpty(), delivery(loaded)),
        new MetricNameCheck(catalogue(cfg)),
        new FallbackCheck(),
        new InhibitionLabelsCheck()),
        new OracleChecks(oracles, remember ? new PassedRunsFile(outDir.resolve(PASSED_RUNS)) : PassedRuns.NONE));
    ValidationReport fromRender = validator.validate(rendered, cfg.output(), "");
    Set<String> differing = disk.map(d -> differing(rendered, d)).orElse(Set.of());
    problems.addAll(differing.isEmpty() ? fromRender.problems() : marked(fromRender.problems(), cfg.output(), differing));
    checks.addAll(fromRender.checks());

    // the containers load what is on disk: check it too unless it is exactly what was checked above
    if (disk.isPresent() && !withoutSecrets(mounted(disk.get(), rendered)).equals(withoutSecrets(rendered))) {
      for (String rel : differing) {
        problems.add(Problem.warning(cfg.output() + "/" + rel, 0, 0, "",
            disk.get().contains(rel) ? "differs from what render would write now (edited by hand, or keiko.yml changed)"
                : "is missing; render would write it",
            "run keiko-mon render (it stops before overwriting a file you edited; --force keeps a backup)"));
      }
      ValidationReport onDisk = validator.validate(mounted(disk.get(), rendered), cfg.output(), "on disk: ");
      problems.addAll(onDisk.problems());
      checks.addAll(onDisk.checks());
    }
    return new ValidationReport(distinct(problems), checks);
  }

  /**
   * Alerts that reach nobody are an error for a keiko.yml (its author can set a destination or
   * alerting.none: true), only a warning for the embedded default, so `up` in an empty folder still works.
   */
  static AlertmanagerCheck.Delivery delivery(LoadedConfig loaded) {
    if (loaded.config().alerting().none()) {
      return AlertmanagerCheck.Delivery.NOT_WANTED;
    }
    return loaded.source().equals(LoadedConfig.EMBEDDED_DEFAULT)
        ? AlertmanagerCheck.Delivery.WARN : AlertmanagerCheck.Delivery.REQUIRED;
  }

  /** The sources keiko.yml enables, its custom metrics included. */
  static MetricCatalogue catalogue(KeikoConfig cfg) {
    MetricCatalogue catalogue = MetricCatalogue.bundled(MetricSource.enabled(cfg));
    for (KeikoConfig.CustomMetric m : cfg.customMetrics()) {
      catalogue = catalogue.with(m.name(), m.type().name().toLowerCase(Locale.ROOT), "custom_metrics");
    }
    return catalogue;
  }

  /** Render needs a Grafana password; use the one render generated earlier if there is one. */
  private static Secrets forRender(Secrets secrets, Path outDir) {
    if (secrets.grafanaAdminPassword().isPresent()) {
      return secrets;
    }
    String password = outDir == null ? PLACEHOLDER_PASSWORD
        : GrafanaPassword.previous(outDir).orElse(PLACEHOLDER_PASSWORD);
    return secrets.withGrafanaAdminPassword(password);
  }

  /** Non-secret files render would write whose disk copy is missing or different. */
  private static Set<String> differing(RenderedTree rendered, RenderedTree disk) {
    Set<String> out = new LinkedHashSet<>();
    for (Map.Entry<String, String> e : rendered.files().entrySet()) {
      if (!RenderedTree.isSecret(e.getKey()) && !e.getValue().equals(disk.text(e.getKey()).orElse(null))) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /**
   * What the containers would see: the disk files at render's paths, plus any other rule files and
   * dashboards in the folders Prometheus and Grafana load by glob. Other files (backups, render's ledger)
   * are not mounted as configuration and are left alone.
   */
  private static RenderedTree mounted(RenderedTree disk, RenderedTree rendered) {
    Map<String, String> files = new TreeMap<>();
    disk.files().forEach((rel, text) -> {
      if (rendered.contains(rel) || isGlobbed(rel)) {
        files.put(rel, text);
      }
    });
    return new RenderedTree(files);
  }

  /** A file Prometheus or Grafana loads because of the folder it is in, whoever wrote it. */
  private static boolean isGlobbed(String rel) {
    return (rel.startsWith(TreeLayout.RULES) && (rel.endsWith(".yml") || rel.endsWith(".yaml")))
        || (rel.startsWith(TreeLayout.DASHBOARDS) && rel.endsWith(".json"));
  }

  /**
   * The files validate did not open (backups, a stray tarball), named once; keiko-mon's own state folder
   * is not news.
   */
  private static Optional<CheckResult> ignored(List<String> ignored) {
    // keiko-mon's own state: remembered oracle runs, the local CA and the certificates it issued
    List<String> news = ignored.stream().filter(rel -> !rel.startsWith(".keiko-mon/")
        && !rel.startsWith(io.keikomon.render.SecurityPreparation.PKI_DIR + "/")).toList();
    if (news.isEmpty()) {
      return Optional.empty();
    }
    String named = String.join(", ", news.subList(0, Math.min(5, news.size())))
        + (news.size() > 5 ? " and " + (news.size() - 5) + " more" : "");
    return Optional.of(CheckResult.skipped("other files",
        news.size() + " not written by keiko-mon nor mounted, not read: " + named));
  }

  private static Map<String, String> withoutSecrets(RenderedTree tree) {
    Map<String, String> files = new TreeMap<>(tree.files());
    files.keySet().removeIf(RenderedTree::isSecret);
    return files;
  }

  /**
   * Each problem once: promtool check config, check rules and test rules all load the rule files and
   * report the same broken rule; the first tool to report it is named.
   */
  private static List<Problem> distinct(List<Problem> problems) {
    Map<String, Problem> seen = new LinkedHashMap<>();
    for (Problem p : problems) {
      String message = p.message().replaceFirst("^(promtool|amtool) [a-z -]+: ", "");
      seen.putIfAbsent(p.severity() + "|" + p.file() + "|" + p.line() + "|" + p.column() + "|" + message, p);
    }
    return new ArrayList<>(seen.values());
  }

  /** Problems of the rendered tree in files whose disk copy differs say so, to avoid confusion. */
  private static List<Problem> marked(List<Problem> problems, String root, Set<String> differing) {
    List<Problem> out = new ArrayList<>();
    for (Problem p : problems) {
      boolean renderedOnly = differing.stream().anyMatch(rel -> p.file().equals(root + "/" + rel));
      out.add(!renderedOnly ? p : new Problem(p.severity(), p.file(), p.line(), p.column(), p.path(),
          p.message() + " [in the file as render would write it]", p.hint()));
    }
    return out;
  }
}
