package io.keikomon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.testing.UnixSocketEngineFault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ctrl-C (SIGINT) and kill (SIGTERM) end a real keiko-mon process with the conventional code and a message. */
class InterruptTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"INT, 130", "TERM, 143"})
  void aSignalEndsTheCommandWithItsCodeAndSaysWhatWasInterrupted(String signal, int expected) throws Exception {
    Files.writeString(dir.resolve("keiko.yml"), "project: kmsignal\n");
    try (UnixSocketEngineFault engine = UnixSocketEngineFault.hung(Files.createDirectories(dir.resolve("sock")))) {
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), Main.class.getName(), "status")
          .directory(dir.toFile())
          .redirectErrorStream(true);
      pb.environment().put("DOCKER_HOST", engine.endpoint());
      Process p = pb.start();
      Thread.sleep(1500); // started, and waiting for the engine's answer
      new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "ended after SIG" + signal);
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(expected, p.exitValue(), output);
      assertTrue(output.contains("keiko-mon status: interrupted (SIGINT or SIGTERM)"), output);
    }
  }

  @Test
  void theMessageNamesTheEngineCallsInFlightAndWhatToDoNext() {
    String m = Interruption.message(new String[] {"-C", "x", "up", "--timeout", "1m"},
        List.of("start container kp-prometheus", "inspect container kp-grafana"));
    assertEquals("keiko-mon up: interrupted (SIGINT or SIGTERM) while waiting for the engine to inspect container"
        + " kp-grafana, start container kp-prometheus\nhint: what was started stays; `keiko-mon up` again finishes"
        + " the job (or `keiko-mon down` removes it)", m);
  }
}
