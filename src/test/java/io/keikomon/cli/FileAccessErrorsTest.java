package io.keikomon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.core.FileAccessException;
import io.keikomon.core.Workspace;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestWorkspaces;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A machine that cannot store files (full disk, permissions, read-only mount) gets exit 1 and a hint, not "a bug". */
class FileAccessErrorsTest {

  @Test
  void renderIntoAPathThatIsInTheWayNamesThePathAndExitsOne() throws Exception {
    Workspace ws = TestWorkspaces.withConfig("output: out\n");
    Files.writeString(ws.dir().resolve("out"), "a file where the output folder should be\n");
    CliHarness.Result r = new CliHarness(new Services(ws, false)).run("render");
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().contains("error: cannot write /work/project/out: already exists\n"), r::toString);
    assertTrue(r.err().contains("hint: something else is in the way at /work/project/out"), r::toString);
    assertFalse(r.err().contains("bug in keiko-mon") || r.err().contains("\tat "), r::toString);
  }

  @Test
  void theFailuresAMachineCausesEachGetAHintNamingThePath() {
    assertEquals("cannot write /srv/m/.keiko/reload.json.tmp: no space left on device",
        FileAccessException.of("write", Path.of("/srv/m/.keiko/reload.json"),
            new FileSystemException("/srv/m/.keiko/reload.json.tmp", null, "No space left on device")).getMessage());
    FileAccessException full = FileAccessException.of(
        new FileSystemException("/srv/m/prometheus.yml", null, "No space left on device"));
    assertTrue(full.hint().startsWith("the disk holding /srv/m/prometheus.yml is full"), full.hint());
    FileAccessException readOnly = FileAccessException.of(
        new FileSystemException("/srv/m/prometheus.yml", null, "Read-only file system"));
    assertTrue(readOnly.hint().contains("read-only file system"), readOnly.hint());
    FileAccessException denied = FileAccessException.of(new AccessDeniedException("/srv/m/prometheus.yml"));
    assertEquals("cannot use /srv/m/prometheus.yml: permission denied", denied.getMessage());
    assertTrue(denied.hint().contains("owner and permissions"), denied.hint());
  }

  @Test
  void anIoFailureWrappedUncheckedIsFoundButOtherCausesAreNot() {
    AccessDeniedException io = new AccessDeniedException("/x");
    assertEquals(io, FileAccessException.ioCause(new UncheckedIOException(io)));
    assertEquals(io, FileAccessException.ioCause(io));
    assertEquals(null, FileAccessException.ioCause(new IllegalStateException("bug", io)));
  }
}
