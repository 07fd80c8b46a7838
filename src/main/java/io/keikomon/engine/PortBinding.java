package io.keikomon.engine;

/**
 * Publish {@code containerPort} on {@code hostIp:hostPort}.
 *
 * @param hostIp null or empty binds all interfaces
 * @param protocol tcp or udp
 */
public record PortBinding(String hostIp, int hostPort, int containerPort, String protocol) {
  public static PortBinding tcp(String hostIp, int hostPort, int containerPort) {
    return new PortBinding(hostIp, hostPort, containerPort, "tcp");
  }
}
