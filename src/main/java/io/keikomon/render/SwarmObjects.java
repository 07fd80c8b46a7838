package io.keikomon.render;

import io.keikomon.core.Digests;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Swarm configs and secrets of a rendered tree: each rendered configuration file becomes a config and each
 * secret file a secret, named {@code <file name>-<8 hex digits of its content's SHA-256>}. Configs and secrets
 * cannot change in place; a new name per content makes a changed file a changed service spec, which Swarm rolls
 * out (and an unchanged file leaves its services alone).
 */
public record SwarmObjects(List<Item> configs, List<Item> secrets) {

  /**
   * One config or secret: {@code key} (its name in the stack file; Swarm prefixes the stack name), {@code file}
   * (relative to the output folder), {@code target} (where the service sees it) and the service that uses it.
   */
  public record Item(String key, String file, String target, String service) {}

  /** Where each rendered folder lands in its service's containers. */
  private static final Map<String, String[]> MOUNTS = new LinkedHashMap<>();

  static {
    MOUNTS.put("prometheus/tests/", null); // promtool's input, not Prometheus'
    MOUNTS.put("prometheus/", new String[] {"prometheus", "/etc/prometheus/"});
    MOUNTS.put("alertmanager/", new String[] {"alertmanager", "/etc/alertmanager/"});
    MOUNTS.put("blackbox/", new String[] {"blackbox-exporter", "/etc/blackbox_exporter/"});
    MOUNTS.put("grafana/", new String[] {"grafana", "/etc/grafana/"});
    MOUNTS.put("jaeger/", new String[] {"jaeger", "/etc/jaeger/"});
  }

  public static SwarmObjects of(Map<String, String> rendered) {
    List<Item> configs = new ArrayList<>();
    List<Item> secrets = new ArrayList<>();
    for (Map.Entry<String, String> f : new TreeMap<>(rendered).entrySet()) {
      String path = f.getKey();
      String name = path.substring(path.lastIndexOf('/') + 1);
      String key = name + "-" + Digests.sha256Hex(f.getValue()).substring(0, 8);
      if (RenderedTree.isSecret(path)) {
        secrets.add(new Item(key, path, name, ""));
        continue;
      }
      MOUNTS.entrySet().stream().filter(m -> path.startsWith(m.getKey())).findFirst()
          .filter(m -> m.getValue() != null)
          .ifPresent(m -> configs.add(new Item(key, path, m.getValue()[1] + path.substring(m.getKey().length()),
              m.getValue()[0])));
    }
    return new SwarmObjects(configs, secrets);
  }

  /** For the stack template: {@code configs} (all), {@code configsOf[service]}, {@code secrets[name]}. */
  Map<String, Object> model() {
    Map<String, Object> byService = new TreeMap<>();
    for (Item c : configs) {
      @SuppressWarnings("unchecked")
      List<Object> list = (List<Object>) byService.computeIfAbsent(c.service(), s -> new ArrayList<>());
      list.add(item(c));
    }
    Map<String, Object> secretsByName = new TreeMap<>();
    secrets.forEach(s -> secretsByName.put(s.target(), item(s)));
    return Map.of("configs", configs.stream().map(SwarmObjects::item).toList(), "configsOf", byService,
        "secrets", secretsByName);
  }

  private static Map<String, Object> item(Item i) {
    return Map.of("key", i.key(), "file", "./" + i.file(), "target", i.target(), "service", i.service());
  }
}
