package io.keikomon.api;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * Requests straight to the host port a service publishes, with {@link HttpClient}: connect and request timeouts,
 * optional basic auth, plain HTTP or HTTPS. Thread-safe; one instance per component is enough.
 */
public final class DirectTransport implements ApiTransport {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final URI base;
  private final Duration requestTimeout;
  private final BasicAuth auth;
  private final HttpClient http;

  private DirectTransport(Builder b) {
    this.base = URI.create(b.tls.scheme() + "://" + hostForUri(b.host) + ":" + b.port);
    this.requestTimeout = b.requestTimeout;
    this.auth = b.auth;
    this.http = CLIENTS.computeIfAbsent(new ClientKey(b.tls, b.connectTimeout), DirectTransport::client);
  }

  /**
   * Clients shared by every transport of the run with the same TLS context and connect timeout: a second transport
   * to the same port (the reload, then the target report) reuses the kept-alive connection instead of paying for
   * a new TLS context, selector thread and handshake.
   */
  private static final Map<ClientKey, HttpClient> CLIENTS = new ConcurrentHashMap<>();

  private record ClientKey(Tls tls, Duration connectTimeout) {}

  private static HttpClient client(ClientKey k) {
    HttpClient.Builder hb = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(k.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER);
    if (!k.tls().plainHttp()) {
      hb.sslContext(k.tls().context());
    }
    return hb.build();
  }

  /** A transport to {@code host:port} (a published port; IPv6 literals without brackets are fine). */
  public static Builder builder(String host, int port) {
    return new Builder(host, port);
  }

  @Override
  public URI base() {
    return base;
  }

  @Override
  public ApiResponse send(ApiRequest request) {
    URI uri = base.resolve(request.path());
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout)
        .header("Accept", "application/json")
        .method(request.method(), request.body() == null
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    if (request.contentType() != null) {
      b.header("Content-Type", request.contentType());
    }
    if (auth != null) {
      b.header("Authorization", auth.header());
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new ApiResponse(uri, r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.connection(request, uri, ApiException.Failure.INTERRUPTED, null, e);
    } catch (IOException e) {
      throw classify(request, uri, e);
    }
  }

  /** Names the failure by its cause; java.net.http wraps the interesting exception at varying depths. */
  private ApiException classify(ApiRequest request, URI uri, IOException e) {
    ApiException.Failure kind = ApiException.Failure.CLOSED;
    String detail = e.getMessage();
    if (e instanceof HttpConnectTimeoutException) {
      kind = ApiException.Failure.TIMEOUT;
      detail = "no connection within " + seconds(connectTimeout());
    } else if (e instanceof HttpTimeoutException) {
      kind = ApiException.Failure.TIMEOUT;
      detail = "no complete answer within " + seconds(requestTimeout);
    } else if (causedBy(e, UnresolvedAddressException.class) != null
        || causedBy(e, UnknownHostException.class) != null) {
      kind = ApiException.Failure.DNS;
      detail = uri.getHost();
    } else if (causedBy(e, SSLException.class) instanceof SSLException ssl) {
      kind = ApiException.Failure.TLS;
      detail = ssl.getMessage();
    } else if (causedBy(e, ConnectException.class) instanceof ConnectException c) {
      kind = ApiException.Failure.REFUSED;
      // "No route to host" and the like arrive as ConnectException too: keep their words.
      detail = c.getMessage() == null || c.getMessage().toLowerCase().contains("refused") ? null : c.getMessage();
    }
    return ApiException.connection(request, uri, kind, detail, e);
  }

  /** The first exception of {@code type} in the cause chain, or null (the outer one may be a ConnectException). */
  private static Throwable causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    return null;
  }

  private Duration connectTimeout() {
    return http.connectTimeout().orElse(DEFAULT_CONNECT_TIMEOUT);
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static String hostForUri(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  @Override
  public String toString() {
    return "DirectTransport[" + base + (auth == null ? "" : ", " + auth) + "]";
  }

  public static final class Builder {
    private final String host;
    private final int port;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private BasicAuth auth;
    private Tls tls = Tls.PLAIN_HTTP;

    private Builder(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive(d);
      return this;
    }

    /** Upper bound for one whole request, answer included. */
    public Builder requestTimeout(Duration d) {
      this.requestTimeout = positive(d);
      return this;
    }

    public Builder basicAuth(BasicAuth auth) {
      this.auth = auth;
      return this;
    }

    public Builder tls(Tls tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    public DirectTransport build() {
      return new DirectTransport(this);
    }

    private static Duration positive(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + d);
      }
      return d;
    }
  }
}
