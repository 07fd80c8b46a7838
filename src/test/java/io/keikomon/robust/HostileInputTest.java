package io.keikomon.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every hostile keiko.yml, .env and compose file of {@link HostileCorpus} is refused with exit 3, a position
 * in the file and a hint, quickly, and in a JVM with a 64 MB heap and a 512 KB stack (so deep recursion or a
 * tree built from an alias bomb would fail the run). Byte-order marks are accepted.
 */
class HostileInputTest {
  /** CPU time of one run; they take 10-500 ms. */
  private static final long MAX_CPU_MILLIS = 1_000;
  /** Wall time, loosely: a busy shared machine may take several times the CPU time. */
  private static final long MAX_WALL_MILLIS = 10_000;

  private record Run(String name, String target, String command, int exit, long cpuMillis, long wallMillis,
      String first) {}

  private static final Map<String, Run> RUNS = new TreeMap<>();
  private static String output;

  @BeforeAll
  static void runCorpusInASmallJvm() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx64m", "-Xss512k", "-XX:+UseSerialGC", "-cp",
        System.getProperty("java.class.path"), HostileCorpus.class.getName()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the corpus run did not finish");
    output = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), output);
    for (String line : output.split("\n")) {
      String[] f = line.split("\t", -1);
      if (f.length == 7) {
        Run r = new Run(f[0], f[1], f[2], Integer.parseInt(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]), f[6]);
        RUNS.put(f[0] + " " + f[1] + " " + f[2], r);
      }
    }
  }

  private static Run run(String name, String target, String command) {
    Run r = RUNS.get(name + " " + target + " " + command);
    assertTrue(r != null, "no run " + name + " " + target + " " + command + " in\n" + output);
    return r;
  }

  @Test
  void everyHostileFileIsExit3WithAPositionAndAHintQuickly() {
    List<String> failures = new ArrayList<>();
    for (HostileCorpus.Case c : HostileCorpus.cases()) {
      List<String> commands = new ArrayList<>(c.target().equals("keiko.yml") ? List.of("render", "validate")
          : List.of("validate"));
      if (c.target().equals(HostileCorpus.COMPOSE)) {
        commands.add("compose-parser");
      }
      for (String command : commands) {
        Run r = run(c.name(), c.target(), command);
        Pattern positioned = Pattern.compile("^" + Pattern.quote(c.target()) + ":[1-9]\\d*:[1-9]\\d*: .*\\(hint: .*");
        if (r.exit() != 3 || !positioned.matcher(r.first()).matches() || r.cpuMillis() > MAX_CPU_MILLIS
            || r.wallMillis() > MAX_WALL_MILLIS) {
          failures.add(r.toString());
        }
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures) + "\n--- all output\n" + output);
  }

  @Test
  void positionsPointAtTheOffendingPlace() {
    assertTrue(run("latin-1", "keiko.yml", "validate").first().startsWith(
        "keiko.yml:2:13: is not UTF-8 text: the byte at byte offset 22 cannot"), output);
    assertTrue(run("latin-1", ".env", "validate").first().startsWith(".env:2:19: is not UTF-8 text: the byte at byte offset 28"), output);
    assertTrue(run("binary", "keiko.yml", "render").first().startsWith("keiko.yml:1:1: is not UTF-8 text: the byte at byte offset 0 "),
        output);
    assertTrue(run("deep-flow-sequence", "keiko.yml", "render").first().startsWith(
        "keiko.yml:1:103: nested deeper than 100 levels"), output);
    assertTrue(run("alias-bomb-45-aliases", HostileCorpus.COMPOSE, "compose-parser").first()
        .startsWith(HostileCorpus.COMPOSE + ":6:10: aliases here expand to more than"), output);
    assertTrue(run("recursive-alias", "keiko.yml", "validate").first().startsWith(
        "keiko.yml:1:11: the alias *a refers to a node that contains it"), output);
    assertTrue(run("nul-bytes", "keiko.yml", "validate").first().startsWith(
        "keiko.yml:2:5: character U+0000 is not allowed in YAML"), output);
    assertTrue(run("bom-then-error", "keiko.yml", "validate").first().startsWith("keiko.yml:3:1: "), output);
  }

  @Test
  void aByteOrderMarkIsAccepted() {
    for (HostileCorpus.Case c : HostileCorpus.accepted()) {
      List<String> commands = c.target().equals("keiko.yml") ? List.of("render", "validate") : List.of("validate");
      for (String command : commands) {
        Run r = run(c.name(), c.target(), command);
        assertEquals(0, r.exit(), r + "\n" + output);
      }
    }
  }

  @Test
  void noStackTraceAnywhere() {
    assertTrue(!output.contains("Exception") && !output.contains("\tat ") && !output.contains("Error:"), output);
  }
}
