package io.keikomon.engine.dockerjava;

import io.keikomon.engine.NetworkInfo;
import io.keikomon.engine.NetworkSpec;

import static io.keikomon.engine.dockerjava.DockerJavaRecords.labelFilters;
import static io.keikomon.engine.dockerjava.DockerJavaRecords.network;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The network calls of {@link DockerJavaGateway}: list by label, inspect, create, remove. */
final class DockerJavaNetworks {
  private final DockerClient requests;
  private final EngineCalls calls;

  DockerJavaNetworks(DockerClient requests, EngineCalls calls) {
    this.requests = requests;
    this.calls = calls;
  }

  List<NetworkInfo> listNetworks(Map<String, String> labels) {
    List<Network> found = calls.call("list networks",
        () -> requests.listNetworksCmd().withFilter("label", labelFilters(labels)).exec());
    return found.stream().map(DockerJavaRecords::network).toList();
  }

  Optional<NetworkInfo> inspectNetwork(String idOrName) {
    return calls.lookup("inspect network " + idOrName,
        () -> network(requests.inspectNetworkCmd().withNetworkId(idOrName).exec()));
  }

  String createNetwork(NetworkSpec spec) {
    return calls.call("create network " + spec.name(), () -> requests.createNetworkCmd()
        .withName(spec.name())
        .withDriver(spec.driver() == null ? "bridge" : spec.driver())
        .withLabels(spec.labels())
        .withAttachable(spec.attachable())
        .withCheckDuplicate(true)
        .exec().getId());
  }

  void removeNetwork(String idOrName) {
    calls.quietlyIfGone("remove network " + idOrName, () -> requests.removeNetworkCmd(idOrName).exec());
  }
}
