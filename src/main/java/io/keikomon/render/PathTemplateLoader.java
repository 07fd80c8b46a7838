package io.keikomon.render;

import freemarker.cache.TemplateLoader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads templates from a folder through {@link java.nio.file.Path}, so it works on any file system
 * (FreeMarker's own FileTemplateLoader is based on java.io.File and cannot read jimfs).
 */
final class PathTemplateLoader implements TemplateLoader {
  private final Path root;

  PathTemplateLoader(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public Object findTemplateSource(String name) {
    Path file = root.resolve(name).normalize();
    // Template names come from the plan and from <#include>; never leave the folder.
    if (!file.startsWith(root) || !Files.isRegularFile(file)) {
      return null;
    }
    return file;
  }

  @Override
  public long getLastModified(Object source) {
    try {
      return Files.getLastModifiedTime((Path) source).toMillis();
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public Reader getReader(Object source, String encoding) throws IOException {
    return Files.newBufferedReader((Path) source, Charset.forName(encoding));
  }

  @Override
  public void closeTemplateSource(Object source) {
    // Nothing is held open between calls.
  }
}
