package io.keikomon.api;

import java.net.URI;

/**
 * How keiko-mon's API clients reach a component. {@link DirectTransport} talks to the host port a service publishes,
 * which works when the engine runs on this machine.
 *
 * <p>When the engine is remote, published ports may not be reachable from here; a second implementation can then run
 * each request inside the project network, e.g. {@code docker exec <container> wget -S -O- <url>} in a container on
 * that network (the Prometheus-family images are busybox-based and ship wget). It must keep this contract: return the
 * status the service really sent (busybox wget prints the status line to stderr with {@code -S}; its exit code alone
 * says only "failed"), and throw {@link ApiException} with a {@link ApiException.Failure} kind when no complete answer
 * came back. That implementation needs the engine gateway, so it belongs beside the engine code, not in this package.
 */
public interface ApiTransport {
  /** Where requests go, e.g. {@code http://127.0.0.1:9090}; used in messages. */
  URI base();

  /**
   * Sends {@code request} and returns whatever status the service answered, 4xx and 5xx included.
   *
   * @throws ApiException when there was no complete answer (refused, timed out, closed, TLS, DNS)
   */
  ApiResponse send(ApiRequest request);
}
