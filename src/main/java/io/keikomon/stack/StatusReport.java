package io.keikomon.stack;

import io.keikomon.engine.PublishedPort;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The status of every service of a project, as a table for people or JSON for scripts. */
public record StatusReport(String project, List<ServiceStatus> services) {
  public StatusReport {
    services = List.copyOf(services);
  }

  /** True when there is at least one service and every one is OK. */
  public boolean allOk() {
    return !services.isEmpty() && services.stream().allMatch(ServiceStatus::ok);
  }

  public List<ServiceStatus> notOk() {
    return services.stream().filter(s -> !s.ok()).toList();
  }

  /** Aligned columns: SERVICE CONTAINER STATE HEALTH UPTIME PORTS IMAGE. */
  public List<String> table() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SERVICE", "CONTAINER", "STATE", "HEALTH", "UPTIME", "PORTS", "IMAGE"});
    for (ServiceStatus s : services) {
      rows.add(new String[] {
        s.service(),
        s.container() == null ? "-" : s.container(),
        s.state(),
        s.health(),
        ServiceStatus.formatUptime(s.uptime()),
        s.ports().isEmpty() ? "-" : s.ports().stream().map(PublishedPort::toString).collect(Collectors.joining(",")),
        s.image() == null ? "-" : s.image()
      });
    }
    int[] widths = new int[7];
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
    try {
      return mapper.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}
