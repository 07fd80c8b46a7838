package io.keikomon.engine.dockerjava;

import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerState;
import io.keikomon.engine.Health;
import io.keikomon.engine.HealthProbe;
import io.keikomon.engine.NetworkInfo;
import io.keikomon.engine.PublishedPort;
import io.keikomon.engine.VolumeInfo;

import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ports;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns docker-java's answers into keiko-mon's records (nulls become empty values). */
public final class DockerJavaRecords {
  private DockerJavaRecords() {}

  /**
   * A total order of published ports, so both read paths (docker-java and {@link EngineJson}) list them alike
   * whatever order the engine's map came in: container port, protocol, host address (none first), host port.
   */
  static final Comparator<PublishedPort> PORT_ORDER = Comparator.comparingInt(PublishedPort::containerPort)
      .thenComparing(PublishedPort::protocol, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(PublishedPort::hostIp, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparingInt(PublishedPort::hostPort);

  static ContainerDetails details(InspectContainerResponse r) {
    InspectContainerResponse.ContainerState s = r.getState();
    Health health = null;
    HealthState hs = s == null ? null : s.getHealth();
    if (hs != null && hs.getStatus() != null) {
      List<HealthProbe> log = new ArrayList<>();
      for (HealthStateLog l : hs.getLog() == null ? List.<HealthStateLog>of() : hs.getLog()) {
        log.add(new HealthProbe(instant(l.getStart()), instant(l.getEnd()),
            l.getExitCodeLong() == null ? -1 : l.getExitCodeLong().intValue(), nullToEmpty(l.getOutput())));
      }
      health = new Health(hs.getStatus(), hs.getFailingStreak() == null ? 0 : hs.getFailingStreak(), log);
    }
    ContainerState state = s == null
        ? new ContainerState("unknown", false, -1, false, null, null, null, "")
        : new ContainerState(s.getStatus(), Boolean.TRUE.equals(s.getRunning()),
            s.getExitCodeLong() == null ? 0 : s.getExitCodeLong().intValue(), Boolean.TRUE.equals(s.getOOMKilled()),
            instant(s.getStartedAt()), instant(s.getFinishedAt()), health, nullToEmpty(s.getError()));
    List<PublishedPort> ports = new ArrayList<>();
    List<String> networks = new ArrayList<>();
    if (r.getNetworkSettings() != null) {
      if (r.getNetworkSettings().getPorts() != null) {
        r.getNetworkSettings().getPorts().getBindings().forEach((exposed, bindings) -> {
          for (Ports.Binding b : bindings == null ? new Ports.Binding[0] : bindings) {
            ports.add(new PublishedPort(b.getHostIp(), Integer.parseInt(b.getHostPortSpec()), exposed.getPort(),
                exposed.getProtocol().toString()));
          }
        });
      }
      if (r.getNetworkSettings().getNetworks() != null) {
        networks.addAll(r.getNetworkSettings().getNetworks().keySet());
      }
    }
    ports.sort(PORT_ORDER);
    Map<String, String> labels = r.getConfig() == null ? null : r.getConfig().getLabels();
    String image = r.getConfig() == null ? null : r.getConfig().getImage();
    return new ContainerDetails(r.getId(), stripSlash(r.getName()), image, r.getImageId(), nullToEmpty(labels), state,
        ports, networks, instant(r.getCreated()));
  }

  static NetworkInfo network(Network n) {
    return new NetworkInfo(n.getId(), n.getName(), n.getDriver(), nullToEmpty(n.getLabels()));
  }

  static VolumeInfo volume(InspectVolumeResponse v) {
    return new VolumeInfo(v.getName(), v.getDriver(), nullToEmpty(v.getLabels()));
  }

  /** Engine timestamps are RFC 3339 with nanoseconds; "0001-01-01T00:00:00Z" means never. */
  static Instant instant(String text) {
    if (text == null || text.isEmpty() || text.startsWith("0001-01-01")) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return java.time.OffsetDateTime.parse(text).toInstant();
    }
  }

  static String stripSlash(String name) {
    return name != null && name.startsWith("/") ? name.substring(1) : name;
  }

  static Map<String, String> nullToEmpty(Map<String, String> map) {
    return map == null ? Map.of() : new LinkedHashMap<>(map);
  }

  static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /** Labels as the engine's {@code label} filter takes them: {@code key=value}. */
  static List<String> labelFilters(Map<String, String> labels) {
    return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }
}
