package io.keikomon.robust;

import io.keikomon.cli.Services;
import io.keikomon.config.ConfigException;
import io.keikomon.config.ConfigLoader;
import io.keikomon.config.Problem;
import io.keikomon.config.Secrets;
import io.keikomon.core.Workspace;
import io.keikomon.compose.ComposeParser;
import io.keikomon.render.Renderer;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestWorkspaces;
import io.keikomon.validate.oracle.ToolRun;
import io.keikomon.validate.tree.TreeFiles;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Hostile files for keiko.yml, .env and the compose file, and a {@link #main} that feeds each to the commands
 * that read it. {@link HostileInputTest} runs main in a JVM of its own with a small fixed heap and stack, so
 * running out of either would show; main prints one tab-separated line per run and the peak heap at the end.
 */
public final class HostileCorpus {
  static final String COMPOSE = "monitoring/docker-compose.monitoring.yml";

  /** One hostile input: {@code target} is the file (relative to the project folder) it replaces. */
  record Case(String name, String target, Supplier<byte[]> content) {}

  private HostileCorpus() {}

  static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (String target : List.of("keiko.yml", COMPOSE)) {
      out.add(text("alias-bomb-45-aliases", target, () -> aliasBomb(5, 9)));
      out.add(text("alias-bomb-49-aliases", target, () -> aliasBomb(7, 7)));
      out.add(text("recursive-alias", target, () -> "a: &a [1, *a]\n"));
      out.add(text("deep-flow-sequence", target, () -> "a: " + "[".repeat(5000) + "\n"));
      out.add(text("deep-flow-mapping", target, () -> "a: " + "{b: ".repeat(3000) + "\n"));
      out.add(text("deep-block-sequence", target, () -> "a:\n  " + "- ".repeat(3000) + "x\n"));
      out.add(text("huge-scalar", target, () -> "a: " + "x".repeat(2 << 20) + "\n"));
      out.add(text("many-nodes", target, () -> "a: [" + "1,".repeat(600_000) + "1]\n"));
      out.add(text("oversized", target, () -> "# filler line\n".repeat(1_300_000)));
      out.add(new Case("binary", target, HostileCorpus::binary));
      out.add(text("nul-bytes", target, () -> "a: b\nc: d\u0000\u0000\n"));
      out.add(latin1("latin-1", target, "# comment\nproject: caf\u00e9\n"));
      out.add(withBom("bom-then-error", target, "a: 1\nb: [\n"));
    }
    out.add(text("binary-nul", ".env", () -> "POSTGRES_PASSWORD=x\nA=\u0000\u0001\u0002\n"));
    out.add(new Case("binary", ".env", HostileCorpus::binary));
    out.add(latin1("latin-1", ".env", "# comment\nREDIS_PASSWORD=caf\u00e9\n"));
    out.add(text("oversized", ".env", () -> "# filler line\n".repeat(100_000)));
    out.add(withBom("bom-then-error", ".env", "A=1\nnot a line\n"));
    return out;
  }

  /** Files that look hostile but are fine: a byte-order mark is what some Windows editors write. */
  static List<Case> accepted() {
    return List.of(withBom("bom", "keiko.yml", "project: bomtest\nalerting: {none: true}\n"),
        withBom("bom", ".env", "POSTGRES_PASSWORD=secret-from-bom\n"));
  }

  /** {@code levels} anchored lists, each holding {@code width} aliases of the one before: width^levels values. */
  static String aliasBomb(int levels, int width) {
    StringBuilder b = new StringBuilder("l0: &l0 [" + String.join(", ", java.util.Collections.nCopies(width, "\"lol\""))
        + "]\n");
    for (int i = 1; i <= levels; i++) {
      b.append("l").append(i).append(": &l").append(i).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(width, "*l" + (i - 1)))).append("]\n");
    }
    return b.toString();
  }

  private static byte[] binary() {
    byte[] b = new byte[64 << 10];
    new Random(8).nextBytes(b);
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    System.arraycopy(png, 0, b, 0, png.length);
    return b;
  }

  private static Case text(String name, String target, Supplier<String> s) {
    return new Case(name, target, () -> s.get().getBytes(StandardCharsets.UTF_8));
  }

  private static Case latin1(String name, String target, String s) {
    return new Case(name, target, () -> s.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static Case withBom(String name, String target, String s) {
    return new Case(name, target, () -> {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
      b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      return b.toByteArray();
    });
  }

  /**
   * Prints {@code name, target, command, exit code, CPU milliseconds, wall milliseconds, first problem line} per
   * run; CPU time (of this thread) is what the file costs, wall time also counts a busy machine.
   */
  public static void main(String[] args) throws Exception {
    run(text("warm-up", "keiko.yml", () -> "project: warmup\n"));
    for (Case c : cases()) {
      run(c);
    }
    for (Case c : accepted()) {
      run(c);
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println("peak-heap-bytes\t" + peak + "\tmax\t" + Runtime.getRuntime().maxMemory());
  }

  private static void run(Case c) throws Exception {
    List<String> commands = c.target().equals("keiko.yml") ? List.of("render", "validate") : List.of("validate");
    for (String command : commands) {
      Workspace ws = workspace(c);
      long[] t0 = now();
      CliHarness.Result r = new CliHarness(new Services(ws, false).withOracles(
          (tool, dir, a) -> new ToolRun.Unavailable("not in this test", "none"))).run(command);
      print(c, command, r.exitCode(), t0, firstProblem(c.target(), r.out() + r.err()));
    }
    if (c.target().equals(COMPOSE)) {
      Workspace ws = workspace(c);
      long[] t0 = now();
      Path file = ws.dir().resolve(COMPOSE);
      int code;
      String first;
      try {
        String text = io.keikomon.config.TextFile.require(io.keikomon.config.TextFile.read(file, COMPOSE));
        new ComposeParser(Map.of()).parse(file, COMPOSE, text, "keiko");
        code = 0;
        first = "";
      } catch (ConfigException e) {
        code = 3;
        first = e.problems().stream().filter(Problem::isError).findFirst().map(Problem::render).orElse("");
      }
      print(c, "compose-parser", code, t0, first);
    }
  }

  private static Workspace workspace(Case c) throws Exception {
    Workspace ws = TestWorkspaces.jimfs();
    if (c.target().equals(COMPOSE)) {
      TreeFiles.write(Renderer.render(ConfigLoader.defaults(),
          new Secrets(Optional.of("hostile-test-password"), Optional.empty(), Optional.empty(), Optional.empty()),
          ws.templateOverrides()), ws.dir().resolve("monitoring"));
    }
    Path target = ws.dir().resolve(c.target());
    Files.createDirectories(target.getParent());
    Files.write(target, c.content().get());
    return ws;
  }

  /** The first error about {@code target}, else the first error line. */
  private static String firstProblem(String target, String output) {
    return output.lines().filter(l -> l.startsWith(target + ":") && !l.contains(": warning: ")).findFirst()
        .or(() -> output.lines().filter(l -> l.startsWith("error:") || l.contains("Exception")).findFirst())
        .orElse("");
  }

  private static long[] now() {
    return new long[] {ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(), System.nanoTime()};
  }

  private static void print(Case c, String command, int code, long[] t0, String first) {
    long[] t1 = now();
    String ms = (t1[0] - t0[0]) / 1_000_000 + "\t" + (t1[1] - t0[1]) / 1_000_000;
    String shown = first.length() > 300 ? first.substring(0, 300) + "..." : first;
    System.out.println(String.join("\t", c.name(), c.target(), command, String.valueOf(code), ms,
        shown.replace('\t', ' ')));
  }
}
