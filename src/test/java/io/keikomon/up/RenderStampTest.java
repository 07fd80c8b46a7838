package io.keikomon.up;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.keikomon.config.Secrets;
import io.keikomon.core.Workspace;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** up skips rendering while the render fingerprint matches: every input a render reads must be in it. */
class RenderStampTest {
  @ParameterizedTest
  @ValueSource(strings = {Secrets.GRAFANA_ADMIN_PASSWORD, Secrets.GRAFANA_DB_PASSWORD, Secrets.PROMETHEUS_RETENTION,
      "PROMETHEUS_PASSWORD", "ALERTMANAGER_PASSWORD", "METRICS_PASSWORD"})
  void aVariableSetInTheEnvironmentChangesTheFingerprint(String variable) throws Exception {
    FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    Path project = Files.createDirectories(fs.getPath("/project"));
    Files.writeString(project.resolve("keiko.yml"), "version: 1\n");
    Path out = project.resolve("monitoring");
    RenderStamp.render(new Workspace(project, Map.of(), Clock.systemUTC()), out).save();

    assertTrue(RenderStamp.render(new Workspace(project, Map.of(), Clock.systemUTC()), out).matches());
    assertFalse(RenderStamp.render(new Workspace(project, Map.of(variable, "changed"), Clock.systemUTC()), out)
        .matches(), variable + " is read by render, so setting it must make up render again");
  }
}
