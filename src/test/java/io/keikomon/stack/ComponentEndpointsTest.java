package io.keikomon.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keikomon.engine.EngineInfo;
import org.junit.jupiter.api.Test;

/** Where a swarm's published port is reached: the engine's host (every node publishes it), here when local. */
class ComponentEndpointsTest {
  static EngineInfo at(String endpoint) {
    return new EngineInfo(endpoint, "27.0", "1.47", "linux", "x86_64");
  }

  @Test
  void thePublishedPortIsAtTheEnginesHost() {
    assertEquals("127.0.0.1", ComponentEndpoints.engineHost(at("unix:///var/run/docker.sock")));
    assertEquals("manager-1.example.net", ComponentEndpoints.engineHost(at("tcp://manager-1.example.net:2376")));
    assertEquals("10.0.0.7", ComponentEndpoints.engineHost(at("ssh://ops@10.0.0.7")));
  }
}
