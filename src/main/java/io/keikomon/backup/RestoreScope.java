package io.keikomon.backup;

import io.keikomon.config.ConfigLoader;
import io.keikomon.core.Console;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What one restore is about, proven before anything is touched: the archive whole (every entry matches its
 * checksum), a backup of this folder's project, holding the parts asked for, none of them one this mode cannot
 * restore.
 *
 * @param parts in {@link Part}'s order
 * @param configHere whether the folder has a keiko.yml now (else the config part brings it)
 */
record RestoreScope(ArchiveReader archive, Manifest manifest, Set<Part> parts, boolean configHere, Path outputDir) {
  RestoreScope {
    Set<Part> copy = EnumSet.noneOf(Part.class);
    copy.addAll(parts);
    parts = Collections.unmodifiableSet(copy);
  }

  /** @param only the parts asked for; empty means everything the archive holds */
  static RestoreScope check(Workspace ws, Console console, Path file, Set<Part> only) {
    ArchiveReader archive = new ArchiveReader(file);
    Manifest manifest = archive.verify();
    console.info("checked " + file + ": " + manifest.entries().size() + " entries match their checksums; project "
        + manifest.project() + ", taken " + manifest.createdAt() + ", parts " + String.join(", ", manifest.parts()));
    Set<Part> parts = parts(manifest, only);
    boolean configHere = Files.isRegularFile(ws.configFile());
    if (configHere) {
      String here = ConfigLoader.load(ws).config().project();
      if (!here.equals(manifest.project())) {
        throw new InvalidArchiveException(file + " is a backup of project " + manifest.project() + ", but this"
            + " folder's keiko.yml names project " + here + "; nothing was changed",
            "restore it in the folder of project " + manifest.project() + " or in an empty folder");
      }
    } else if (!parts.contains(Part.CONFIG)) {
      throw new OperationFailedException("this folder has no keiko.yml and --only leaves the config part out",
          "restore the config part too (leave --only out), or run restore in the project's folder");
    }
    boolean swarm = configHere ? ConfigLoader.load(ws).config().swarm()
        : manifest.prometheus() != null && manifest.prometheus().replica() != null;
    if (swarm && parts.contains(Part.PROMETHEUS)) {
      throw PrometheusPart.notInSwarm();
    }
    Path outputDir = ws.dir().resolve(manifest.output() == null ? "monitoring" : manifest.output());
    return new RestoreScope(archive, manifest, parts, configHere, outputDir);
  }

  private static Set<Part> parts(Manifest manifest, Set<Part> only) {
    Set<Part> inArchive = EnumSet.noneOf(Part.class);
    manifest.parts().forEach(id -> Part.of(id).ifPresent(inArchive::add));
    if (only.isEmpty()) {
      return inArchive;
    }
    for (Part p : only) {
      if (!inArchive.contains(p)) {
        throw new OperationFailedException("the archive holds no " + p.id() + " part (it has "
            + String.join(", ", manifest.parts()) + "); nothing was changed", "leave " + p.id() + " out of --only");
      }
    }
    return EnumSet.copyOf(only);
  }
}
