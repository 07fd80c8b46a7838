package io.keikomon.robust;

import io.keikomon.config.ConfigLoader;
import io.keikomon.config.Secrets;
import io.keikomon.core.Workspace;
import io.keikomon.render.Renderer;
import io.keikomon.validate.ValidateService;
import io.keikomon.validate.ValidationReport;
import io.keikomon.validate.oracle.ToolRun;
import io.keikomon.validate.tree.TreeFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * validate's own cost (promtool, amtool and docker-compose stubbed out) for a keiko.yml with N extra targets:
 * {@code java -cp ... io.keikomon.robust.ValidateBench DIR N...}. Each DIR/N folder gets such a keiko.yml and
 * its rendered output folder, then validate runs twice (the first warms the JVM up) and the second is timed. See docs/benchmarks.md.
 */
public final class ValidateBench {
  private ValidateBench() {}

  public static void main(String[] args) throws Exception {
    Path base = Path.of(args[0]);
    for (int a = 1; a < args.length; a++) {
      int n = Integer.parseInt(args[a]);
      Path dir = base.resolve(String.valueOf(n));
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("keiko.yml"), extraTargets(n));
      Workspace ws = new Workspace(dir, Map.of("GRAFANA_ADMIN_PASSWORD", "bench-password-123"), Clock.systemUTC());
      Secrets secrets = new Secrets(Optional.of("bench-password-123"), Optional.empty(), Optional.empty(),
          Optional.empty());
      TreeFiles.write(Renderer.render(ConfigLoader.load(ws).config(), secrets, ws.templateOverrides()),
          dir.resolve("monitoring"));
      ValidateService validate = new ValidateService((tool, d, argv) -> new ToolRun.Unavailable("benchmark", ""));
      validate.validate(ws);
      long t0 = System.nanoTime();
      ValidationReport r = validate.validate(ws);
      System.out.printf("%d extra targets: validate %.2f s (%d errors)%n", n, (System.nanoTime() - t0) / 1e9,
          r.errors());
    }
  }

  static String extraTargets(int n) {
    StringBuilder b = new StringBuilder("extra_targets:\n");
    for (int i = 0; i < n; i++) {
      b.append(String.format("  - {job: worker%05d, targets: [\"host%d.example:%d\"]}%n", i, i % 250, 9100 + i % 50));
    }
    return b.toString();
  }
}
