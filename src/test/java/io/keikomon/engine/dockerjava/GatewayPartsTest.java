package io.keikomon.engine.dockerjava;

import io.keikomon.engine.EngineInfo;
import io.keikomon.engine.Mount;
import io.keikomon.core.TarWriter;

import io.keikomon.engine.HealthcheckSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.InternalServerErrorException;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The small pieces of the gateway that need no engine. */
class GatewayPartsTest {

  @ParameterizedTest
  @CsvSource({
    "prom/prometheus:v3.5.0, prom/prometheus, v3.5.0",
    "prom/prometheus, prom/prometheus, latest",
    "registry:5000/team/prometheus, registry:5000/team/prometheus, latest",
    "registry:5000/team/prometheus:v3, registry:5000/team/prometheus, v3",
    "prom/prometheus@sha256:abc, prom/prometheus, sha256:abc",
  })
  void imageReferencesSplitIntoRepositoryAndTag(String ref, String repository, String tag) {
    assertEquals(new ImageReference(repository, tag), ImageReference.parse(ref));
  }

  @Test
  void logFramesAreReassembledIntoLines() {
    List<String> lines = new ArrayList<>();
    LineAssembler a = new LineAssembler(lines::add);
    a.accept("level=info msg=\"sta".getBytes(StandardCharsets.UTF_8));
    a.accept("rted\"\r\nsecond\nthi".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("level=info msg=\"started\"", "second"), lines);
    a.finish();
    assertEquals(List.of("level=info msg=\"started\"", "second", "thi"), lines);
  }

  @Test
  void healthcheckDurationsGoToTheEngineInNanoseconds() {
    var hc = ContainerCreation.healthcheck(new HealthcheckSpec(List.of("CMD", "true"), Duration.ofSeconds(5),
        Duration.ofMillis(1500), null, 0));
    assertEquals(5_000_000_000L, hc.getInterval());
    assertEquals(1_500_000_000L, hc.getTimeout());
    assertEquals(null, hc.getStartPeriod(), "unset stays the engine default");
    assertEquals(null, hc.getRetries(), "0 retries means the engine default");
  }

  @Test
  void engineTimestampsParseAndTheZeroTimeMeansNever() {
    assertEquals(Instant.parse("2026-11-25T09:34:59.862202714Z"),
        DockerJavaRecords.instant("2026-11-25T09:34:59.862202714Z"));
    assertEquals(Instant.parse("2026-11-25T08:34:59Z"), DockerJavaRecords.instant("2026-11-25T09:34:59+01:00"));
    assertEquals(null, DockerJavaRecords.instant("0001-01-01T00:00:00Z"));
  }

  @Test
  void engineErrorsShowTheEnginesOwnMessage() {
    String reason = DockerJavaGateway.reason(new InternalServerErrorException(
        "{\"message\":\"Get \\\"https://127.0.0.1:1/v2/\\\": dial tcp 127.0.0.1:1: connect: connection refused\"}\n"));
    assertEquals("Get \"https://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused", reason);
    assertEquals("Connection refused (ConnectException)",
        DockerJavaGateway.reason(new RuntimeException("wrapped", new ConnectException("Connection refused"))));
  }

  @Test
  void hostGatewayNeedsEngine2010() {
    assertTrue(new EngineInfo("x", "20.10.24+dfsg1", "1.41", "linux", "amd64").supportsHostGateway());
    assertTrue(new EngineInfo("x", "27.3.1", "1.47", "linux", "amd64").supportsHostGateway());
    assertFalse(new EngineInfo("x", "19.03.15", "1.40", "linux", "amd64").supportsHostGateway());
    assertFalse(new EngineInfo("x", "dev", "1.40", "linux", "amd64").supportsHostGateway());
  }

  @Test
  void tarArchivesAreReadByTar(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String deep = "a/" + "very-long-directory-name/".repeat(5) + "file.txt";
    try (TarWriter tar = new TarWriter(bytes, 0)) {
      tar.directory("a", 0755, 0, 0);
      tar.file("a/one.txt", "one\n", 0644);
      tar.file(deep, "deep\n", 0600);
      tar.symlink("a/link", "one.txt");
    }
    Path archive = dir.resolve("x.tar");
    Files.write(archive, bytes.toByteArray());
    Process p = new ProcessBuilder("tar", "-xf", archive.toString(), "-C", dir.toString()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertEquals("one\n", Files.readString(dir.resolve("a/one.txt")));
    assertEquals("deep\n", Files.readString(dir.resolve(deep)));
    assertEquals("one.txt", Files.readSymbolicLink(dir.resolve("a/link")).toString());
  }

  @Test
  void mountShortSyntax() {
    assertEquals("/:/host:ro,rslave", Mount.bind("/", "/host", true).withPropagation("rslave").toString());
    assertEquals("data:/prometheus", Mount.volume("data", "/prometheus").toString());
  }
}
