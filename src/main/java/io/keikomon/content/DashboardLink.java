package io.keikomon.content;

import io.keikomon.config.KeikoConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A link in the dashboard's header: {@code type} "dashboards" lists the dashboards carrying {@code tags}
 * (keeping the time range); "link" opens {@code url} in a new tab.
 */
public record DashboardLink(String title, String type, String url, List<String> tags) {
  public DashboardLink {
    tags = List.copyOf(tags);
  }

  static DashboardLink dashboards(String title, String tag) {
    return new DashboardLink(title, "dashboards", "", List.of(tag));
  }

  static DashboardLink url(String title, String url) {
    return new DashboardLink(title, "link", url, List.of());
  }

  /** Every keiko dashboard, and the UIs of Prometheus (and Alertmanager, when it runs) where people open them. */
  static List<DashboardLink> forConfig(KeikoConfig config) {
    StackUrls urls = StackUrls.forConfig(config);
    List<DashboardLink> links = new ArrayList<>();
    links.add(dashboards("Keiko dashboards", Dashboard.TAG));
    links.add(url("Prometheus alerts", urls.prometheus() + "/alerts"));
    if (config.components().alertmanager()) {
      links.add(url("Alertmanager", urls.alertmanager()));
    }
    return links;
  }
}
