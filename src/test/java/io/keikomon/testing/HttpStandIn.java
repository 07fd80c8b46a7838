package io.keikomon.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The shared plumbing of the in-JVM stand-ins for services that cannot run here or that a unit test should not
 * start: a JDK HTTP(S) server on a free loopback port, routes by method and path pattern, optional basic auth like
 * the real service's, and faults a test switches on ({@link #breakWith}): a slow answer, a connection closed in the
 * middle of an answer, or a fixed status. Subclasses implement a service's documented endpoints.
 */
public abstract class HttpStandIn implements AutoCloseable {
  protected static final ObjectMapper JSON = new ObjectMapper();

  /** One request as the route sees it; {@code groups} are the path pattern's capture groups. */
  public record Request(String method, String path, Map<String, List<String>> query, String body, List<String> groups,
      String user) {
    public String param(String name) {
      List<String> v = query.get(name);
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    public List<String> params(String name) {
      return query.getOrDefault(name, List.of());
    }
  }

  public record Answer(int status, String contentType, String body) {
    public static Answer json(int status, Object body) {
      return new Answer(status, "application/json", body instanceof String s ? s : write(body));
    }

    public static Answer text(int status, String body) {
      return new Answer(status, "text/plain; charset=utf-8", body);
    }
  }

  /** What a broken service does instead of answering. */
  public sealed interface Fault {
    /** Answers normally, but only after {@code delay}. */
    record Slow(Duration delay) implements Fault {
    }

    /** Sends the status line, headers and part of the body, then drops the connection. */
    record CloseMidResponse() implements Fault {
    }

    /** Answers {@code answer} to everything. */
    record Fixed(Answer answer) implements Fault {
    }
  }

  @FunctionalInterface
  protected interface Route {
    Answer handle(Request request) throws Exception;
  }

  private record Entry(String method, Pattern path, boolean open, Route route) {
  }

  private final List<Entry> routes = new ArrayList<>();
  private final AtomicReference<Fault> fault = new AtomicReference<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private volatile Map<String, String> users = Map.of();
  private HttpServer server;
  private ExecutorService executor;

  /** Adds a route that needs credentials when {@link #requireBasicAuth} is on. */
  protected final void route(String method, String pathRegex, Route route) {
    routes.add(new Entry(method, Pattern.compile(pathRegex), false, route));
  }

  /** Adds a route the service answers without credentials (e.g. Grafana's /api/health). */
  protected final void openRoute(String method, String pathRegex, Route route) {
    routes.add(new Entry(method, Pattern.compile(pathRegex), true, route));
  }

  /** From now on, requests need basic auth as one of {@code users} (name to password). */
  public final void requireBasicAuth(Map<String, String> users) {
    this.users = Map.copyOf(users);
  }

  /** How the real service answers a request without valid credentials. */
  protected abstract Answer unauthorized(boolean credentialsGiven);

  /** Every request from now on meets {@code f}; null repairs the service. */
  public final void breakWith(Fault f) {
    fault.set(f);
  }

  /** "METHOD path?query" of every request received, in order. */
  public final List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Starts plain HTTP on 127.0.0.1 and a free port. */
  public final HttpStandIn start() {
    return start(null);
  }

  /** Starts HTTPS with {@code tls} (its key manager holds the server certificate), or plain HTTP when null. */
  public final HttpStandIn start(SSLContext tls) {
    try {
      InetSocketAddress at = new InetSocketAddress("127.0.0.1", 0);
      if (tls == null) {
        server = HttpServer.create(at, 0);
      } else {
        HttpsServer https = HttpsServer.create(at, 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        server = https;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.createContext("/", this::exchange);
    server.start();
    return this;
  }

  public final int port() {
    return server.getAddress().getPort();
  }

  public final String host() {
    return "127.0.0.1";
  }

  public final URI uri(String path) {
    return URI.create((server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + port() + path);
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  private void exchange(HttpExchange ex) throws IOException {
    try {
      URI u = ex.getRequestURI();
      requests.add(ex.getRequestMethod() + " " + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
      Fault f = fault.get();
      if (f instanceof Fault.Fixed fixed) {
        send(ex, fixed.answer());
        ex.close();
        return;
      }
      if (f instanceof Fault.Slow slow) {
        Thread.sleep(slow.delay().toMillis());
      }
      Answer a = dispatch(ex);
      if (f instanceof Fault.CloseMidResponse) {
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", a.contentType());
        ex.sendResponseHeaders(a.status(), body.length + 100);
        ex.getResponseBody().write(body, 0, body.length / 2);
        ex.getResponseBody().flush();
        // An exception out of the handler makes the JDK server drop the connection without finishing the body.
        throw new IOException("stand-in: connection dropped on purpose");
      }
      send(ex, a);
      ex.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.close();
    }
  }

  private Answer dispatch(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    boolean pathKnown = false;
    for (Entry e : routes) {
      Matcher m = e.path().matcher(path);
      if (!m.matches()) {
        continue;
      }
      pathKnown = true;
      if (!e.method().equals(ex.getRequestMethod())) {
        continue;
      }
      String user = authenticatedUser(ex);
      if (!e.open() && !users.isEmpty() && user == null) {
        return unauthorized(ex.getRequestHeaders().containsKey("Authorization"));
      }
      List<String> groups = new ArrayList<>();
      for (int i = 1; i <= m.groupCount(); i++) {
        groups.add(URLDecoder.decode(m.group(i), StandardCharsets.UTF_8));
      }
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      try {
        return e.route().handle(new Request(ex.getRequestMethod(), path, query(ex.getRequestURI()), body,
            groups, user));
      } catch (Exception failure) {
        return Answer.text(500, "stand-in failed: " + failure);
      }
    }
    return pathKnown ? Answer.text(405, "Method Not Allowed") : notFound(path);
  }

  /** The service's answer for a path it does not have. */
  protected Answer notFound(String path) {
    return Answer.text(404, "404 page not found\n");
  }

  private String authenticatedUser(HttpExchange ex) {
    String h = ex.getRequestHeaders().getFirst("Authorization");
    if (h == null || !h.startsWith("Basic ")) {
      return null;
    }
    String pair;
    try {
      pair = new String(Base64.getDecoder().decode(h.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = pair.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String name = pair.substring(0, colon);
    return pair.substring(colon + 1).equals(users.get(name)) ? name : null;
  }

  private static Map<String, List<String>> query(URI u) {
    Map<String, List<String>> q = new LinkedHashMap<>();
    if (u.getRawQuery() != null) {
      for (String part : u.getRawQuery().split("&")) {
        int eq = part.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
        q.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
      }
    }
    return q;
  }

  private static void send(HttpExchange ex, Answer a) throws IOException {
    byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", a.contentType());
    if (a.status() == 401) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"stand-in\"");
    }
    ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  protected static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
