package io.keikomon.stack;

import io.keikomon.engine.PublishedPort;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The status of every service of a project, and of every target Prometheus scrapes, as tables for people or JSON
 * for scripts. Only the services decide {@link #allOk()}: a target that is down is shown (with Prometheus' last
 * error) but is the watched system's problem, not the monitoring stack's.
 *
 * @param targets Prometheus' active targets, empty when there is no running Prometheus or it did not answer
 * @param targetsProblem why the targets could not be read (null when they were, or there is no Prometheus)
 */
public record StatusReport(String project, List<ServiceStatus> services, List<Target> targets, String targetsProblem,
    List<Replicas> replicas) {
  public StatusReport {
    services = List.copyOf(services);
    targets = List.copyOf(targets);
    replicas = List.copyOf(replicas);
  }

  /** A compose project: one container per service, no replica counts. */
  public StatusReport(String project, List<ServiceStatus> services, List<Target> targets, String targetsProblem) {
    this(project, services, targets, targetsProblem, List.of());
  }

  /**
   * Swarm mode: a service's tasks running out of those it should have ({@code desired} -1 for a global service,
   * which has one per node), and the nodes they run on.
   */
  public record Replicas(String service, int running, int desired, List<String> nodes) {
    public Replicas {
      nodes = List.copyOf(nodes);
    }

    public String text() {
      return running + "/" + (desired < 0 ? running + " (global)" : String.valueOf(desired));
    }
  }

  /** One scrape target as Prometheus last saw it: health up, down or unknown, and the last scrape error. */
  public record Target(String job, String instance, String scrapeUrl, String health, String lastError) {
    public boolean up() {
      return "up".equals(health);
    }
  }

  /** True when there is at least one service and every one is OK. */
  public boolean allOk() {
    return !services.isEmpty() && services.stream().allMatch(ServiceStatus::ok);
  }

  public List<ServiceStatus> notOk() {
    return services.stream().filter(s -> !s.ok()).toList();
  }

  public List<Target> targetsDown() {
    return targets.stream().filter(t -> !t.up()).toList();
  }

  /** Swarm mode: SERVICE REPLICAS NODES, one line per service (empty in compose mode). */
  public List<String> replicasTable() {
    if (replicas.isEmpty()) {
      return List.of();
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SERVICE", "REPLICAS", "NODES"});
    for (Replicas r : replicas) {
      rows.add(new String[] {r.service(), r.text(), r.nodes().isEmpty() ? "-" : String.join(",", r.nodes())});
    }
    return align(rows);
  }

  /** Aligned columns: SERVICE CONTAINER STATE HEALTH UPTIME PORTS IMAGE (swarm mode: one line per task). */
  public List<String> table() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SERVICE", "CONTAINER", "STATE", "HEALTH", "UPTIME", "PORTS", "IMAGE"});
    for (ServiceStatus s : services) {
      rows.add(new String[] {
        s.service(),
        s.container() == null ? "-" : s.container(),
        s.state(),
        s.healthText(),
        ServiceStatus.formatUptime(s.uptime()),
        s.ports().isEmpty() ? "-" : s.ports().stream().map(PublishedPort::toString).collect(Collectors.joining(",")),
        s.image() == null ? "-" : s.image()
      });
    }
    List<String> lines = align(rows);
    if (services.stream().anyMatch(ServiceStatus::probed)) {
      lines.add("(probe): Docker's first healthcheck has not run yet; keiko-mon ran the same check and it passed");
    }
    return lines;
  }

  /** Aligned columns: JOB INSTANCE HEALTH LAST ERROR; empty when there are no targets. */
  public List<String> targetsTable() {
    if (targets.isEmpty()) {
      return List.of();
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TARGET JOB", "INSTANCE", "HEALTH", "LAST ERROR"});
    for (Target t : targets) {
      rows.add(new String[] {t.job(), t.instance(), t.health(), t.lastError().isEmpty() ? "-" : t.lastError()});
    }
    return align(rows);
  }

  private static List<String> align(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] r : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        sb.append(i == r.length - 1 ? r[i] : String.format("%-" + (widths[i] + 2) + "s", r[i]));
      }
      lines.add(sb.toString().stripTrailing());
    }
    return lines;
  }

  /** One JSON document; uptime in whole seconds (null when not running). */
  public String json() {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("project", project);
    root.put("ok", allOk());
    ArrayNode list = root.putArray("services");
    for (ServiceStatus s : services) {
      ObjectNode n = list.addObject();
      n.put("service", s.service());
      n.put("container", s.container());
      n.put("state", s.state());
      n.put("health", ServiceStatus.NO_HEALTHCHECK.equals(s.health()) ? null : s.health());
      n.put("healthSource", ServiceStatus.NO_HEALTHCHECK.equals(s.health()) ? null : s.probed() ? "probe" : "docker");
      ArrayNode ports = n.putArray("ports");
      for (PublishedPort p : s.ports()) {
        ports.addObject().put("hostIp", p.hostIp()).put("hostPort", p.hostPort())
            .put("containerPort", p.containerPort()).put("protocol", p.protocol());
      }
      if (s.uptime() == null) {
        n.putNull("uptimeSeconds");
      } else {
        n.put("uptimeSeconds", s.uptime().getSeconds());
      }
      n.put("image", s.image());
      n.put("ok", s.ok());
      n.put("problem", s.problem());
    }
    ArrayNode targetList = root.putArray("targets");
    for (Target t : targets) {
      targetList.addObject().put("job", t.job()).put("instance", t.instance()).put("scrapeUrl", t.scrapeUrl())
          .put("health", t.health()).put("lastError", t.lastError().isEmpty() ? null : t.lastError());
    }
    root.put("targetsProblem", targetsProblem);
    if (!replicas.isEmpty()) {
      ArrayNode r = root.putArray("replicas");
      for (Replicas x : replicas) {
        ObjectNode n = r.addObject().put("service", x.service()).put("running", x.running());
        if (x.desired() < 0) {
          n.putNull("desired");
        } else {
          n.put("desired", x.desired());
        }
        x.nodes().forEach(n.putArray("nodes")::add);
      }
    }
    try {
      return mapper.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}
