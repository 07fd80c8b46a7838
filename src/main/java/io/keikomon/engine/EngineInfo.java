package io.keikomon.engine;

/**
 * The engine a gateway is connected to.
 *
 * @param endpoint the address that answered, e.g. {@code unix:///var/run/docker.sock}
 * @param version engine version, e.g. {@code 20.10.24+dfsg1}
 * @param apiVersion highest API version the engine speaks, e.g. {@code 1.41}
 */
public record EngineInfo(String endpoint, String version, String apiVersion, String os, String arch) {

  /** {@code extra_hosts: host-gateway} needs Docker Engine 20.10 or later (moby/moby#40007). */
  public boolean supportsHostGateway() {
    return EngineVersion.atLeast(version, 20, 10);
  }
}
