package io.keikomon.engine;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a container may do and use beyond its image's defaults: privilege escalation, Linux capabilities, a
 * read-only root file system (with tmpfs where the program must write), a memory limit, and how much log the
 * engine keeps for it.
 *
 * @param securityOpt e.g. {@code no-new-privileges:true}
 * @param tmpfs mount points, each optionally {@code PATH:OPTIONS}
 * @param memoryBytes 0 = no limit
 * @param logDriver null keeps the engine's default driver (and ignores {@code logOptions})
 */
public record Hardening(
    List<String> securityOpt,
    List<String> capAdd,
    List<String> capDrop,
    boolean readOnlyRootfs,
    List<String> tmpfs,
    long memoryBytes,
    String logDriver,
    Map<String, String> logOptions) {

  public static final Hardening NONE = new Hardening(List.of(), List.of(), List.of(), false, List.of(), 0, null, Map.of());

  public Hardening {
    securityOpt = List.copyOf(securityOpt);
    capAdd = List.copyOf(capAdd);
    capDrop = List.copyOf(capDrop);
    tmpfs = List.copyOf(tmpfs);
    logOptions = java.util.Collections.unmodifiableMap(new TreeMap<>(logOptions));
  }

  public boolean isNone() {
    return equals(NONE);
  }
}
