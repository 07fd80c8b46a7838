package io.keikomon.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On the real file system: the inode is what a single-file bind mount holds on to. */
class AtomicFilesInPlaceTest {
  @TempDir Path dir;

  static Object inode(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
  }

  @Test
  void overwriteInPlaceKeepsTheInodeAndTruncatesALongerOldValue() throws IOException {
    Path f = dir.resolve("secret");
    Files.writeString(f, "a-much-longer-old-password\n");
    Object before = inode(f);

    AtomicFiles.overwriteInPlace(f, "short".getBytes(StandardCharsets.UTF_8));

    assertEquals("short", Files.readString(f));
    assertEquals(before, inode(f));
  }

  @Test
  void theAtomicWriteIsANewInodeWhichIsWhySecretsAreNotWrittenThatWay() throws IOException {
    Path f = dir.resolve("secret");
    Files.writeString(f, "old");
    Object before = inode(f);

    AtomicFiles.write(f, "new".getBytes(StandardCharsets.UTF_8), AtomicFiles.READABLE);

    assertNotEquals(before, inode(f));
  }
}
