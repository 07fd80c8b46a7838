package io.keikomon.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.KeikoConfig.BackendLabels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class DemoBackendTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(DemoBackend b, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + b.hostPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHealthEndpointsAndReadinessCanFail() throws Exception {
    try (DemoBackend b = new DemoBackend().start(0)) {
      for (String p : new String[] {"/health", "/health/live", "/health/ready"}) {
        HttpResponse<String> r = get(b, p);
        assertEquals(200, r.statusCode(), p);
        assertEquals("{\"status\":\"UP\"}", r.body(), p);
      }
      b.setReady(false);
      assertEquals(503, get(b, "/health/ready").statusCode());
      assertEquals(200, get(b, "/health/live").statusCode());
    }
  }

  @Test
  void exposesDocumentedMetricsWithDefaultLabelNames() throws Exception {
    try (DemoBackend b = new DemoBackend().start(0)) {
      b.recordRequest("GET", "/api/agents", 500, 0.3);
      b.recordAgentOperation("register", "failure");
      b.recordAgentOperation("register", "success");
      String text = get(b, "/metrics").body();
      assertTrue(text.contains("http_requests_total{endpoint=\"/api/agents\",method=\"GET\",status=\"500\"} 1\n"), text);
      assertTrue(text.contains("http_request_duration_seconds_bucket{endpoint=\"/api/agents\",le=\"0.25\",method=\"GET\"} 0\n"), text);
      assertTrue(text.contains("http_request_duration_seconds_bucket{endpoint=\"/api/agents\",le=\"0.5\",method=\"GET\"} 1\n"), text);
      assertTrue(text.contains("http_request_duration_seconds_count{endpoint=\"/api/agents\",method=\"GET\"} 1\n"), text);
      assertTrue(text.contains("api_errors_total{endpoint=\"/api/agents\",error_type=\"server\"} 1\n"), text);
      assertTrue(text.contains("agent_operations_total{operation=\"register\",status=\"failure\"} 1\n"), text);
      assertTrue(text.contains("registered_agents_total 1\n"), text);
      assertTrue(text.contains("# TYPE http_request_duration_seconds histogram\n"), text);
    }
  }

  @Test
  void usesConfiguredLabelNames() {
    DemoBackend b = new DemoBackend("127.0.0.1", new BackendLabels("verb", "path", "code", "op", "outcome"));
    b.recordRequest("POST", "/x", 200, 0.01);
    b.recordAgentOperation("register", "error");
    String text = b.exposition();
    assertTrue(text.contains("http_requests_total{code=\"200\",path=\"/x\",verb=\"POST\"} 1\n"), text);
    assertTrue(text.contains("agent_operations_total{op=\"register\",outcome=\"error\"} 1\n"), text);
  }

  @Test
  void generatedTrafficContainsServerErrorsAndFailedRegistrations() {
    DemoBackend b = new DemoBackend();
    b.generateTraffic(200);
    String text = b.exposition();
    assertTrue(text.matches("(?s).*http_requests_total\\{[^}]*status=\"500\"\\} [1-9].*"), text);
    assertTrue(text.matches("(?s).*agent_operations_total\\{operation=\"register\",status=\"failure\"\\} [1-9].*"), text);
    assertTrue(text.contains("custom_duration_seconds_count "), text);
    assertTrue(text.matches("(?s).*custom_operations_total\\{operation=\"sync\"\\} [1-9].*"), text);
  }
}
