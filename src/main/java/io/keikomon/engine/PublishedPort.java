package io.keikomon.engine;

/**
 * A container port published on the host.
 *
 * @param hostIp address it is bound to, e.g. 127.0.0.1 (0.0.0.0 = all interfaces)
 * @param protocol tcp, udp or sctp
 */
public record PublishedPort(String hostIp, int hostPort, int containerPort, String protocol) {
  public static PublishedPort tcp(String hostIp, int hostPort, int containerPort) {
    return new PublishedPort(hostIp, hostPort, containerPort, "tcp");
  }

  /** {@code 127.0.0.1:9090->9090/tcp}, the way {@code docker ps} shows it. */
  @Override
  public String toString() {
    return hostIp + ":" + hostPort + "->" + containerPort + "/" + protocol;
  }
}
