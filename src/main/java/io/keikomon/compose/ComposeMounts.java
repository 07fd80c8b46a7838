package io.keikomon.compose;

import io.keikomon.compose.ComposeModel.Mount;
import io.keikomon.compose.ComposeModel.MountType;
import io.keikomon.compose.ComposeModel.Volume;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * A service's {@code volumes:} and {@code secrets:} entries as mounts (short and long syntax), with host paths
 * made absolute against the compose file's folder.
 */
public final class ComposeMounts {
  private static final Set<String> PROPAGATIONS = Set.of("rprivate", "private", "rshared", "shared", "rslave", "slave");

  private final ComposeNodes nodes;
  private final Path dir;

  ComposeMounts(ComposeNodes nodes, Path dir) {
    this.nodes = nodes;
    this.dir = dir;
  }

  Mount mount(Node node, String p, Map<String, Volume> volumes) {
    if (node instanceof MappingNode) {
      Map<String, Node> m = nodes.entries(node, p);
      nodes.allowOnly(m, p, Set.of("type", "source", "target", "read_only", "bind", "volume"));
      String type = m.containsKey("type") ? nodes.string(m.get("type"), p + ".type") : "volume";
      String source = m.containsKey("source") ? nodes.string(m.get("source"), p + ".source") : null;
      String target = m.containsKey("target") ? nodes.string(m.get("target"), p + ".target") : null;
      boolean ro = m.containsKey("read_only") && nodes.bool(m.get("read_only"), p + ".read_only");
      String propagation = "";
      if (m.containsKey("bind")) {
        Map<String, Node> b = nodes.entries(m.get("bind"), p + ".bind");
        nodes.allowOnly(b, p + ".bind", Set.of("propagation"));
        if (b.containsKey("propagation")) {
          propagation = propagation(b.get("propagation"), p + ".bind.propagation",
              nodes.string(b.get("propagation"), p + ".bind.propagation"));
        }
      }
      if (m.containsKey("volume")) {
        nodes.unsupported(m.get("volume"), p + ".volume");
      }
      if (target == null) {
        nodes.error(node, p + ".target", "is missing", null);
        return null;
      }
      return switch (type) {
        case "bind" -> source == null ? missing(node, p + ".source") : bind(source, target, ro, propagation);
        case "volume" -> source == null ? anonymous(node, p) : volume(node, p, source, target, ro, volumes);
        default -> {
          nodes.error(m.get("type"), p + ".type", "type `" + type + "` is not supported", "use `bind` or `volume`");
          yield null;
        }
      };
    }
    String spec = nodes.string(node, p);
    if (spec == null) {
      return null;
    }
    String[] parts = spec.split(":", -1);
    if (parts.length == 1) {
      return anonymous(node, p);
    }
    if (parts.length > 3) {
      nodes.error(node, p, "`" + spec + "` is not SOURCE:TARGET[:MODE]", null);
      return null;
    }
    boolean ro = false;
    String propagation = "";
    if (parts.length == 3) {
      for (String opt : parts[2].split(",")) {
        if (opt.equals("ro")) {
          ro = true;
        } else if (PROPAGATIONS.contains(opt)) {
          propagation = opt;
        } else if (!opt.equals("rw")) {
          nodes.error(node, p, "mount option `" + opt + "` is not supported", "use ro, rw or a propagation mode");
        }
      }
    }
    String source = parts[0];
    boolean isPath = source.startsWith("/") || source.startsWith(".") || source.startsWith("~");
    return isPath ? bind(source, parts[1], ro, propagation) : volume(node, p, source, parts[1], ro, volumes);
  }

  private Mount bind(String source, String target, boolean ro, String propagation) {
    return new Mount(MountType.BIND, hostPath(source), target, ro, propagation);
  }

  private Mount volume(Node node, String p, String key, String target, boolean ro, Map<String, Volume> volumes) {
    if (!volumes.containsKey(key)) {
      nodes.error(node, p, "volume `" + key + "` is not declared under the top-level `volumes:`",
          "add `" + key + ": {}` to `volumes:`");
      return null;
    }
    return new Mount(MountType.VOLUME, key, target, ro, "");
  }

  private Mount anonymous(Node node, String p) {
    nodes.error(node, p, "anonymous volumes are not supported (their data would be lost on every recreate)",
        "declare a named volume under the top-level `volumes:` and mount it");
    return null;
  }

  private Mount missing(Node node, String p) {
    nodes.error(node, p, "is missing", null);
    return null;
  }

  Mount secretMount(Node node, String p, Map<String, String> secrets) {
    String source;
    String target;
    if (node instanceof MappingNode) {
      Map<String, Node> m = nodes.entries(node, p);
      nodes.allowOnly(m, p, Set.of("source", "target"));
      source = nodes.string(m.get("source"), p + ".source");
      target = m.containsKey("target") ? nodes.string(m.get("target"), p + ".target") : source;
    } else {
      source = nodes.string(node, p);
      target = source;
    }
    if (source == null) {
      return null;
    }
    String file = secrets.get(source);
    if (file == null) {
      nodes.error(node, p, "secret `" + source + "` is not declared under the top-level `secrets:` with a `file:`",
          null);
      return null;
    }
    String path = target.startsWith("/") ? target : "/run/secrets/" + target;
    return new Mount(MountType.BIND, file, path, true, "");
  }

  String hostPath(String source) {
    if (source.startsWith("~")) {
      String home = System.getProperty("user.home");
      return dir.getFileSystem().getPath(home + source.substring(1)).normalize().toString();
    }
    return dir.resolve(source).normalize().toString();
  }

  private String propagation(Node node, String p, String value) {
    if (value == null || !PROPAGATIONS.contains(value)) {
      nodes.error(node, p, "`" + value + "` is not a propagation mode", "one of " + String.join(", ", PROPAGATIONS));
      return "";
    }
    return value;
  }
}
