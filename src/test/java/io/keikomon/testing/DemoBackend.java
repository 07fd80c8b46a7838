package io.keikomon.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.keikomon.config.KeikoConfig.BackendLabels;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * A stand-in for the Keiko backend (the real one cannot run here): a JDK HTTP server exposing the
 * metrics the Keiko monitoring documentation names, in Prometheus text format, and the three health
 * endpoints. Traffic is not real either: tests record requests and agent operations directly, or
 * call {@link #generateTraffic(int)} for a deterministic mix that includes 5xx responses and failed
 * agent registrations.
 *
 * <p>Metrics (label names from {@link BackendLabels}, the defaults of keiko.yml unless given):
 * <ul>
 *   <li>{@code http_requests_total{method,route,status}} counter
 *   <li>{@code http_request_duration_seconds{method,route}} histogram
 *   <li>{@code api_errors_total{route,error_type}} counter (one per 4xx/5xx response)
 *   <li>{@code agent_operations_total{operation,result}} counter; result is success, failure or error
 *   <li>{@code registered_agents_total} gauge: agents currently registered
 *   <li>{@code custom_operations_total{operation}} counter, {@code custom_duration_seconds} histogram
 *       (the documentation's custom-metric example)
 * </ul>
 */
public final class DemoBackend implements AutoCloseable {
  /** The documented defaults of keiko.yml's backend.labels. */
  public static final BackendLabels DEFAULT_LABELS =
      new BackendLabels("method", "endpoint", "status", "operation", "status");

  /** The Prometheus client libraries' default buckets. */
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final String bindAddress;
  private final BackendLabels labels;
  private final Object lock = new Object();
  private final Map<String, Family> families = new TreeMap<>();
  private final Random random = new Random(42);
  private volatile boolean ready = true;
  private int registeredAgents;
  private HttpServer server;
  private ExecutorService executor;

  /** Bound to 127.0.0.1 with the default label names. */
  public DemoBackend() {
    this("127.0.0.1", DEFAULT_LABELS);
  }

  /**
   * @param bindAddress "0.0.0.0" when containers must reach it via host.docker.internal
   * @param labels the label names the metrics use (keiko.yml backend.labels)
   */
  public DemoBackend(String bindAddress, BackendLabels labels) {
    this.bindAddress = bindAddress;
    this.labels = labels;
    family("http_requests_total", "counter", "HTTP requests handled");
    family("http_request_duration_seconds", "histogram", "HTTP request duration");
    family("api_errors_total", "counter", "API errors returned");
    family("agent_operations_total", "counter", "Agent operations by outcome");
    family("registered_agents_total", "gauge", "Agents currently registered");
    family("custom_operations_total", "counter", "Custom operations");
    family("custom_duration_seconds", "histogram", "Custom duration");
    // Series exist from the start, as with client libraries that pre-register label values.
    setGauge("registered_agents_total", new TreeMap<>(), 0);
  }

  /** Starts serving on {@code port}; 0 picks a free port (see {@link #port()}). */
  public DemoBackend start(int port) {
    try {
      server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind demo backend to " + bindAddress + ":" + port, e);
    }
    executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", exposition()));
    server.createContext("/health/live", ex -> health(ex, true));
    server.createContext("/health/ready", ex -> health(ex, ready));
    server.createContext("/health", ex -> health(ex, true));
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** host:port as Prometheus would scrape it from this host. */
  public String hostPort() {
    return "127.0.0.1:" + port();
  }

  public void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** false makes /health/ready answer 503 with status DOWN (liveness stays up). */
  public void setReady(boolean ready) {
    this.ready = ready;
  }

  /** Records one handled HTTP request; 4xx/5xx also count in api_errors_total. */
  public void recordRequest(String method, String route, int status, double seconds) {
    synchronized (lock) {
      SortedMap<String, String> req = new TreeMap<>();
      req.put(labels.method(), method);
      req.put(labels.route(), route);
      req.put(labels.status(), Integer.toString(status));
      add("http_requests_total", req, 1);
      SortedMap<String, String> dur = new TreeMap<>();
      dur.put(labels.method(), method);
      dur.put(labels.route(), route);
      observe("http_request_duration_seconds", dur, seconds);
      if (status >= 400) {
        SortedMap<String, String> err = new TreeMap<>();
        err.put(labels.route(), route);
        err.put("error_type", status >= 500 ? "server" : "client");
        add("api_errors_total", err, 1);
      }
    }
  }

  /**
   * Records an agent operation. A "register" with result "success" adds a registered agent,
   * a successful "deregister" removes one.
   */
  public void recordAgentOperation(String operation, String result) {
    synchronized (lock) {
      SortedMap<String, String> op = new TreeMap<>();
      op.put(labels.operation(), operation);
      op.put(labels.result(), result);
      add("agent_operations_total", op, 1);
      if (result.equals("success")) {
        if (operation.equals("register")) {
          registeredAgents++;
        } else if (operation.equals("deregister") && registeredAgents > 0) {
          registeredAgents--;
        }
        setGauge("registered_agents_total", new TreeMap<>(), registeredAgents);
      }
    }
  }

  /** Records one operation of the custom-metric example. */
  public void recordCustomOperation(String operation, double seconds) {
    synchronized (lock) {
      SortedMap<String, String> op = new TreeMap<>();
      op.put("operation", operation);
      add("custom_operations_total", op, 1);
      observe("custom_duration_seconds", new TreeMap<>(), seconds);
    }
  }

  /**
   * A deterministic mix of {@code requests} requests over several routes (about 5% answer 500,
   * a few 404), agent registrations of which about one in five fails, heartbeats and custom
   * operations.
   */
  public void generateTraffic(int requests) {
    String[][] routes = {
      {"GET", "/api/agents"}, {"POST", "/api/agents/register"}, {"POST", "/api/chat"}, {"GET", "/api/tasks"}
    };
    for (int i = 0; i < requests; i++) {
      String[] route = routes[i % routes.length];
      int roll = random.nextInt(100);
      int status = roll < 5 ? 500 : roll < 8 ? 404 : 200;
      double seconds = Math.min(4.0, 0.02 + random.nextDouble() * random.nextDouble() * 1.5);
      recordRequest(route[0], route[1], status, seconds);
      if (route[1].equals("/api/agents/register")) {
        recordAgentOperation("register", random.nextInt(5) == 0 ? "failure" : "success");
      }
      if (i % 3 == 0) {
        recordAgentOperation("heartbeat", "success");
      }
      if (i % 2 == 0) {
        recordCustomOperation(i % 4 == 0 ? "sync" : "export", random.nextDouble() * 0.8);
      }
    }
  }

  /** The current exposition text, as /metrics serves it. */
  public String exposition() {
    StringBuilder out = new StringBuilder();
    synchronized (lock) {
      for (Family f : families.values()) {
        out.append("# HELP ").append(f.name).append(' ').append(f.help).append('\n');
        out.append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
        for (Map.Entry<SortedMap<String, String>, double[]> s : f.series.entrySet()) {
          if (f.type.equals("histogram")) {
            appendHistogram(out, f.name, s.getKey(), s.getValue());
          } else {
            appendSample(out, f.name, s.getKey(), s.getValue()[0]);
          }
        }
      }
    }
    return out.toString();
  }

  private void appendHistogram(StringBuilder out, String name, SortedMap<String, String> key, double[] v) {
    // v = cumulative bucket counts..., +Inf count, sum
    for (int i = 0; i <= BUCKETS.length; i++) {
      SortedMap<String, String> withLe = new TreeMap<>(key);
      withLe.put("le", i < BUCKETS.length ? format(BUCKETS[i]) : "+Inf");
      appendSample(out, name + "_bucket", withLe, v[i]);
    }
    appendSample(out, name + "_sum", key, v[BUCKETS.length + 1]);
    appendSample(out, name + "_count", key, v[BUCKETS.length]);
  }

  private static void appendSample(StringBuilder out, String name, Map<String, String> labelSet, double value) {
    out.append(name);
    if (!labelSet.isEmpty()) {
      List<String> pairs = new ArrayList<>();
      labelSet.forEach((k, val) -> pairs.add(k + "=\"" + val.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
      out.append('{').append(String.join(",", pairs)).append('}');
    }
    out.append(' ').append(format(value)).append('\n');
  }

  private static String format(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private void family(String name, String type, String help) {
    families.put(name, new Family(name, type, help, new TreeMap<>(DemoBackend::compareLabels)));
  }

  private void add(String name, SortedMap<String, String> key, double delta) {
    families.get(name).series.computeIfAbsent(key, k -> new double[1])[0] += delta;
  }

  private void setGauge(String name, SortedMap<String, String> key, double value) {
    families.get(name).series.computeIfAbsent(key, k -> new double[1])[0] = value;
  }

  private void observe(String name, SortedMap<String, String> key, double seconds) {
    double[] v = families.get(name).series.computeIfAbsent(key, k -> new double[BUCKETS.length + 2]);
    for (int i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        v[i]++;
      }
    }
    v[BUCKETS.length]++;
    v[BUCKETS.length + 1] += seconds;
  }

  private static int compareLabels(SortedMap<String, String> a, SortedMap<String, String> b) {
    return a.toString().compareTo(b.toString());
  }

  private static void health(HttpExchange ex, boolean up) throws IOException {
    respond(ex, up ? 200 : 503, "application/json", up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
  }

  private static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  private record Family(String name, String type, String help, Map<SortedMap<String, String>, double[]> series) {}
}
