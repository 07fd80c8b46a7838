package io.keikomon.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What inspecting a container tells.
 *
 * @param name without the leading slash
 * @param image the image reference the container was created from (as written, e.g. {@code prom/prometheus:v3.5.0})
 * @param imageId the resolved image id ({@code sha256:...})
 * @param networks names of the networks the container is attached to
 * @param created when the container was created
 */
public record ContainerDetails(
    String id,
    String name,
    String image,
    String imageId,
    Map<String, String> labels,
    ContainerState state,
    List<PublishedPort> ports,
    List<String> networks,
    Instant created) {

  public ContainerDetails {
    labels = Map.copyOf(labels);
    ports = List.copyOf(ports);
    networks = List.copyOf(networks);
  }

  public String label(String key) {
    return labels.get(key);
  }
}
