package io.keikomon.stack;

import io.keikomon.compose.ComposeLabels;
import io.keikomon.compose.ComposeModel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels keiko-mon stamps on what it creates: Docker Compose's own (so {@code docker-compose -p PROJECT
 * ps/logs/down} treat the stack as theirs) plus two hashes that let the next {@code up} see what changed.
 */
public final class StackLabels {
  /** Hash of the service's definition in the compose file (image, command, environment, ports, mounts, ...). */
  public static final String SPEC_HASH = "keiko-mon.spec-hash";
  /** Hash of the bytes of the rendered config files the service bind-mounts. */
  public static final String CONFIG_HASH = "keiko-mon.config-hash";
  /** Hash of the mounted files a reloading service still reads only at start (see {@code ServiceHashes}). */
  public static final String FIXED_CONFIG_HASH = "keiko-mon.fixed-config-hash";
  /** Set when a requested mount propagation was not supported and the plain mount was used. */
  public static final String PROPAGATION_FALLBACK = "keiko-mon.propagation-fallback";
  /** The Compose release whose labels these are (docker-compose 1.29 is the peer keiko-mon is checked against). */
  public static final String COMPOSE_VERSION = "1.29.2";

  private StackLabels() {}

  /** What selects the project's containers, networks and volumes. */
  public static Map<String, String> projectFilter(String project) {
    return Map.of(ComposeLabels.PROJECT, project);
  }

  /**
   * @param fixedConfigHash hash of the mounted files the service reads only at start, even though it reloads others
   *     (Grafana: its admin password secret, beside the provisioning it reloads)
   */
  public static Map<String, String> container(ComposeModel model, String service, String specHash, String configHash,
      String fixedConfigHash) {
    Map<String, String> l = new LinkedHashMap<>(model.service(service).labels());
    l.put(ComposeLabels.PROJECT, model.project());
    l.put(ComposeLabels.SERVICE, service);
    l.put(ComposeLabels.ONEOFF, "False");
    l.put(ComposeLabels.CONTAINER_NUMBER, "1");
    l.put(ComposeLabels.VERSION, COMPOSE_VERSION);
    l.put(ComposeLabels.WORKING_DIR, model.workingDir().toString());
    l.put(ComposeLabels.CONFIG_FILES, model.file().toString());
    l.put(ComposeLabels.CONFIG_HASH, specHash);
    StringBuilder deps = new StringBuilder();
    model.service(service).dependsOn().forEach((name, d) -> deps.append(deps.isEmpty() ? "" : ",")
        .append(name).append(':').append(d.condition().composeName()).append(':').append(d.restart()));
    if (!deps.isEmpty()) {
      l.put(ComposeLabels.DEPENDS_ON, deps.toString());
    }
    l.put(SPEC_HASH, specHash);
    l.put(CONFIG_HASH, configHash);
    l.put(FIXED_CONFIG_HASH, fixedConfigHash);
    return l;
  }

  public static Map<String, String> network(String project, String key) {
    return Map.of(ComposeLabels.PROJECT, project, ComposeLabels.NETWORK, key, ComposeLabels.VERSION, COMPOSE_VERSION);
  }

  public static Map<String, String> volume(String project, String key, Map<String, String> userLabels) {
    Map<String, String> l = new LinkedHashMap<>(userLabels);
    l.put(ComposeLabels.PROJECT, project);
    l.put(ComposeLabels.VOLUME, key);
    l.put(ComposeLabels.VERSION, COMPOSE_VERSION);
    return l;
  }
}
