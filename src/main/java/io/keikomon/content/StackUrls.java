package io.keikomon.content;

import io.keikomon.config.KeikoConfig;

/**
 * The addresses people open the stack's UIs at: the published ports on {@code bind} (an all-interfaces
 * bind is opened as localhost). Prometheus and Alertmanager get them as --web.external-url, so the
 * links in alerts (generator, silence) lead there; alerts link to the Grafana dashboards with them.
 */
public record StackUrls(String prometheus, String alertmanager, String grafana) {
  static StackUrls forConfig(KeikoConfig config) {
    String bind = config.bind();
    String host = bind.equals("0.0.0.0") || bind.equals("::") ? "localhost" : bind.contains(":") ? "[" + bind + "]" : bind;
    KeikoConfig.Ports p = config.ports();
    return new StackUrls("http://" + host + ":" + p.prometheus(), "http://" + host + ":" + p.alertmanager(),
        "http://" + host + ":" + p.grafana());
  }
}
