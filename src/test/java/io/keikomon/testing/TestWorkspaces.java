package io.keikomon.testing;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.keikomon.core.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Workspaces over jimfs (unix semantics, POSIX attributes) with a fixed clock. */
public final class TestWorkspaces {
  public static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  private TestWorkspaces() {}

  public static Workspace jimfs() {
    return jimfs(Map.of());
  }

  public static Workspace jimfs(Map<String, String> env) {
    FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
        .setAttributeViews("basic", "owner", "posix", "unix").build());
    Path dir = fs.getPath("/work/project");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Workspace(dir, env, Clock.fixed(T0, ZoneOffset.UTC));
  }

  /** A workspace whose keiko.yml holds {@code yaml}. */
  public static Workspace withConfig(String yaml) {
    Workspace ws = jimfs();
    try {
      Files.writeString(ws.configFile(), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ws;
  }
}
