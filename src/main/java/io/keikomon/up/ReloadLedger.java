package io.keikomon.up;

import io.keikomon.core.AtomicFiles;
import io.keikomon.core.FileAccessException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which config hash each container runs after a live reload. The engine cannot change a container's labels, so
 * the {@code keiko-mon.config-hash} label keeps the hash it was created with; this file (keyed by container id,
 * so an entry of a replaced container is simply stale) records what a reload applied since.
 */
public final class ReloadLedger {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  public ReloadLedger(Path file) {
    this.file = file;
  }

  /** Container id → config hash applied by reload. */
  public Map<String, String> read() {
    if (!Files.exists(file)) {
      return Map.of();
    }
    try {
      return JSON.readValue(Files.readString(file), new TypeReference<TreeMap<String, String>>() {});
    } catch (IOException e) {
      // an unreadable ledger only costs one extra reload; it must not stop `up`
      return Map.of();
    }
  }

  /** Records {@code hashes} and forgets containers not in {@code live}; written atomically. */
  public void write(Map<String, String> hashes, Set<String> live) {
    Map<String, String> all = new TreeMap<>(read());
    all.putAll(hashes);
    all.keySet().retainAll(live);
    try {
      AtomicFiles.write(file, (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all) + "\n")
          .getBytes(StandardCharsets.UTF_8), AtomicFiles.READABLE);
    } catch (IOException e) {
      throw FileAccessException.of("write", file, e);
    }
  }
}
