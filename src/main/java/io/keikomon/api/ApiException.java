package io.keikomon.api;

import io.keikomon.core.OperationFailedException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A call to a component's HTTP API failed. The message names the action, the method and URL, and either the HTTP
 * status the service sent with the start of its body, or the kind of connection failure; never a made-up status.
 */
public final class ApiException extends OperationFailedException {
  /** Body characters kept in the message: enough for Prometheus' and Grafana's error texts. */
  static final int BODY_EXCERPT = 500;

  /** Why no complete HTTP answer arrived, or why an answer could not be used. */
  public enum Failure {
    REFUSED("connection refused"),
    TIMEOUT("timed out"),
    CLOSED("connection closed before a complete answer"),
    TLS("TLS handshake failed"),
    DNS("host name not found"),
    INTERRUPTED("interrupted"),
    /** An answer arrived with a 2xx status but not in the documented shape. */
    BAD_ANSWER("unexpected answer");

    private final String words;

    Failure(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  private static final Map<Integer, String> REASONS = Map.ofEntries(
      Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
      Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(409, "Conflict"),
      Map.entry(410, "Gone"), Map.entry(412, "Precondition Failed"), Map.entry(422, "Unprocessable Entity"),
      Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
      Map.entry(504, "Gateway Timeout"));

  private final String action;
  private final String method;
  private final URI uri;
  private final int status;
  private final Failure failure;
  private final String body;

  private ApiException(String action, String method, URI uri, int status, Failure failure, String detail, String body,
      String hint, Throwable cause) {
    super(message(action, method, uri, status, failure, detail, body), hint, cause);
    this.action = action;
    this.method = method;
    this.uri = uri;
    this.status = status;
    this.failure = failure;
    this.body = body;
  }

  /** The service answered {@code status}, which the caller did not expect. */
  public static ApiException status(ApiRequest request, ApiResponse response) {
    return new ApiException(request.action(), request.method(), response.uri(), response.status(), null, null,
        excerpt(response.body()), statusHint(response.status()), null);
  }

  /** No complete answer arrived; {@code detail} says more (e.g. the timeout that ran out), or is null. */
  public static ApiException connection(ApiRequest request, URI uri, Failure failure, String detail, Throwable cause) {
    return new ApiException(request.action(), request.method(), uri, 0, failure, detail, null,
        failureHint(failure, uri), cause);
  }

  /** A 2xx answer that is not what the API documents. */
  public static ApiException badAnswer(ApiRequest request, ApiResponse response, String why, Throwable cause) {
    return new ApiException(request.action(), request.method(), response.uri(), response.status(), Failure.BAD_ANSWER,
        why, excerpt(response.body()),
        "the service at " + origin(response.uri()) + " may be another program or an unsupported version", cause);
  }

  public String action() {
    return action;
  }

  public String method() {
    return method;
  }

  public URI uri() {
    return uri;
  }

  /** The HTTP status the service sent; empty when none arrived. */
  public OptionalInt status() {
    return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }

  public boolean hasStatus(int code) {
    return status == code;
  }

  /** Why there was no usable answer; empty when the service simply answered an unexpected status. */
  public Optional<Failure> failure() {
    return Optional.ofNullable(failure);
  }

  /** The first {@value #BODY_EXCERPT} characters of the answer's body, or empty. */
  public String body() {
    return body == null ? "" : body;
  }

  private static String message(String action, String method, URI uri, int status, Failure failure, String detail,
      String body) {
    StringBuilder m = new StringBuilder(action).append(" failed: ").append(method).append(' ').append(uri);
    if (failure == Failure.BAD_ANSWER) {
      m.append(" answered HTTP ").append(status).append(" but ").append(detail);
    } else if (failure != null) {
      m.append(": ").append(failure.words());
      if (detail != null && !detail.isBlank()) {
        m.append(" (").append(detail).append(')');
      }
    } else {
      m.append(" answered HTTP ").append(status);
      String reason = REASONS.get(status);
      if (reason != null) {
        m.append(' ').append(reason);
      }
    }
    if (body != null && !body.isBlank()) {
      m.append(": ").append(body);
    }
    return m.toString();
  }

  static String excerpt(String body) {
    if (body == null) {
      return "";
    }
    String s = body.strip();
    return s.length() <= BODY_EXCERPT ? s : s.substring(0, BODY_EXCERPT) + "…";
  }

  private static String statusHint(int status) {
    if (status == 401 || status == 403) {
      return "the service refused keiko-mon's credentials: check the user and password keiko-mon uses (in .env)";
    }
    if (status == 404) {
      return "the service has no such path or object: is this the right port, and the version keiko-mon supports?";
    }
    if (status >= 500) {
      return "the service failed: `keiko-mon logs <service>` shows why";
    }
    return "the service's answer above says what it refused";
  }

  private static String failureHint(Failure failure, URI uri) {
    return switch (failure) {
      case REFUSED -> "nothing listens on " + origin(uri) + ": is the service running (`keiko-mon status`)?";
      case TIMEOUT -> "the service at " + origin(uri) + " is slow or hung: `keiko-mon logs <service>` shows why";
      case CLOSED -> "the service at " + origin(uri) + " dropped the connection; it may be restarting"
          + " (`keiko-mon status`)";
      case TLS -> "check that " + origin(uri) + " speaks TLS and that keiko-mon trusts its CA certificate";
      case DNS -> "check the host name " + uri.getHost();
      case INTERRUPTED -> "keiko-mon was interrupted; run the command again";
      case BAD_ANSWER -> null;
    };
  }

  private static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getAuthority();
  }
}
