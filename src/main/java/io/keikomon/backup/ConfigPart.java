package io.keikomon.backup;

import io.keikomon.core.AtomicFiles;
import io.keikomon.core.Console;
import io.keikomon.core.Digests;
import io.keikomon.core.FileAccessException;
import io.keikomon.core.FileDigest;
import io.keikomon.core.Workspace;
import io.keikomon.render.Ledger;
import io.keikomon.render.RenderedTree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code config/} part: keiko.yml, the template overrides, the rendered tree (with render's ledger, so hand edits
 * stay recognisable) and, only with --include-secrets, .env and the rendered secrets folder.
 *
 * <p>Archive layout: {@code config/keiko.yml}, {@code config/.env}, {@code config/templates/...},
 * {@code config/output/...} (the rendered folder, wherever keiko.yml's {@code output:} puts it).
 */
final class ConfigPart {
  static final String KEIKO_YML = "config/keiko.yml";
  static final String ENV = "config/.env";
  static final String TEMPLATES = "config/templates/";
  static final String OUTPUT = "config/output/";
  /** keiko-mon's own state in the rendered folder; only the ledger travels. */
  private static final String STATE = ".keiko-mon/";

  private ConfigPart() {}

  /** A file of the project and its path in the archive. */
  record FileRef(String archivePath, Path file) {
  }

  /** The files this part holds: archive path → file here. */
  static List<FileRef> files(Workspace ws, Path outputDir, boolean includeSecrets) throws IOException {
    List<FileRef> files = new ArrayList<>();
    if (Files.isRegularFile(ws.configFile())) {
      files.add(new FileRef(KEIKO_YML, ws.configFile()));
    }
    if (includeSecrets && Files.isRegularFile(ws.envFile())) {
      files.add(new FileRef(ENV, ws.envFile()));
    }
    walk(ws.templateOverrides(), TEMPLATES, rel -> true, files);
    walk(outputDir, OUTPUT, rel -> (includeSecrets || !rel.startsWith(RenderedTree.SECRETS_DIR))
        && (!rel.startsWith(STATE) || rel.equals(Ledger.FILE)), files);
    return files;
  }

  static void backup(Workspace ws, Path outputDir, boolean includeSecrets, ArchiveWriter archive) throws IOException {
    for (FileRef f : files(ws, outputDir, includeSecrets)) {
      boolean secret = f.archivePath().equals(ENV) || f.archivePath().startsWith(OUTPUT + RenderedTree.SECRETS_DIR);
      long size = Files.size(f.file());
      try (InputStream in = Files.newInputStream(f.file())) {
        archive.add(f.archivePath(), in, size, secret ? 0600 : 0644, 0, 0);
      }
    }
  }

  /** Where an archive path of this part goes in a project folder whose rendered folder is {@code outputDir}. */
  static Path target(Workspace ws, Path outputDir, String archivePath) {
    String rel;
    Path base;
    if (archivePath.equals(KEIKO_YML)) {
      return ws.configFile();
    } else if (archivePath.equals(ENV)) {
      return ws.envFile();
    } else if (archivePath.startsWith(TEMPLATES)) {
      base = ws.templateOverrides();
      rel = archivePath.substring(TEMPLATES.length());
    } else if (archivePath.startsWith(OUTPUT)) {
      base = outputDir;
      rel = archivePath.substring(OUTPUT.length());
    } else {
      throw new IllegalArgumentException("not a config entry: " + archivePath);
    }
    Path target = base.resolve(rel).normalize();
    if (!target.startsWith(base.normalize()) || rel.isEmpty()) {
      throw new InvalidArchiveException("the archive entry " + archivePath + " points outside the project folder",
          "this archive was not written by keiko-mon; nothing was changed");
    }
    return target;
  }

  /** A file restore writes: where, and whether something different is there now. */
  record Write(String archivePath, Path target, boolean exists, boolean differs) {
  }

  /** The files the archive's config part writes into this project folder. */
  static List<Write> writes(Workspace ws, Manifest manifest, Path outputDir) {
    List<Write> writes = new ArrayList<>();
    for (Manifest.Entry e : manifest.entries()) {
      if (!e.path().startsWith(Part.CONFIG.folder())) {
        continue;
      }
      Path target = target(ws, outputDir, e.path());
      boolean exists = Files.isRegularFile(target);
      writes.add(new Write(e.path(), target, exists, exists && !e.sha256().equals(sha256(target))));
    }
    return writes;
  }

  /** Writes {@code writes} from the archive (private when it kept them so), adding each new file to {@code created}. */
  static void restore(ArchiveReader archive, Manifest manifest, List<Write> writes, List<Path> created,
      Console console) {
    Map<String, Write> byPath = new LinkedHashMap<>();
    writes.forEach(w -> byPath.put(w.archivePath(), w));
    archive.extract(manifest, List.of(Part.CONFIG.folder()), (e, content) -> {
      Write w = byPath.get(e.name());
      if (w == null) {
        return;
      }
      if (e.size() > 64L << 20) {
        throw new IOException(e.name() + " is " + e.size() + " bytes, more than a config file can be");
      }
      byte[] bytes = content.readAllBytes();
      if (!w.exists()) {
        created.add(w.target());
      }
      try {
        AtomicFiles.write(w.target(), bytes, (e.mode() & 077) == 0 ? AtomicFiles.PRIVATE : AtomicFiles.READABLE);
      } catch (IOException ex) {
        throw FileAccessException.of("write", w.target(), ex);
      }
    });
    console.info("config: " + writes.size() + " files restored");
  }

  private static String sha256(Path file) {
    MessageDigest sha = Digests.sha256();
    try {
      FileDigest.update(sha, file);
    } catch (IOException e) {
      throw FileAccessException.of("read", file, e);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private interface Filter {
    boolean keep(String rel);
  }

  private static void walk(Path dir, String prefix, Filter filter, List<FileRef> out) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted().toList()) {
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        String rel = dir.relativize(p).toString().replace('\\', '/');
        if (filter.keep(rel)) {
          out.add(new FileRef(prefix + rel, p));
        }
      }
    }
  }
}
