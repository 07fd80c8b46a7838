package io.keikomon.engine.dockerjava;

import io.keikomon.engine.VolumeInfo;
import io.keikomon.engine.VolumeSpec;

import static io.keikomon.engine.dockerjava.DockerJavaRecords.labelFilters;
import static io.keikomon.engine.dockerjava.DockerJavaRecords.volume;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The volume calls of {@link DockerJavaGateway}: list by label, inspect, create, remove. */
final class DockerJavaVolumes {
  private final DockerClient requests;
  private final EngineCalls calls;

  DockerJavaVolumes(DockerClient requests, EngineCalls calls) {
    this.requests = requests;
    this.calls = calls;
  }

  List<VolumeInfo> listVolumes(Map<String, String> labels) {
    List<InspectVolumeResponse> found = calls.call("list volumes",
        () -> requests.listVolumesCmd().withFilter("label", labelFilters(labels)).exec().getVolumes());
    return found == null ? List.of() : found.stream().map(DockerJavaRecords::volume).toList();
  }

  Optional<VolumeInfo> inspectVolume(String name) {
    return calls.lookup("inspect volume " + name, () -> volume(requests.inspectVolumeCmd(name).exec()));
  }

  void createVolume(VolumeSpec spec) {
    calls.call("create volume " + spec.name(), () -> requests.createVolumeCmd()
        .withName(spec.name())
        .withDriver(spec.driver() == null ? "local" : spec.driver())
        .withLabels(spec.labels())
        .exec());
  }

  void removeVolume(String name) {
    calls.quietlyIfGone("remove volume " + name, () -> requests.removeVolumeCmd(name).exec());
  }
}
