package io.keikomon.engine.dockerjava;

import io.keikomon.engine.DockerOperationException;
import io.keikomon.engine.ImageInfo;
import io.keikomon.engine.PullListener;

import static io.keikomon.engine.dockerjava.DockerJavaRecords.nullToEmpty;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.PullResponseItem;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The image calls of {@link DockerJavaGateway}: inspect, pull (with its progress) and build. */
final class DockerJavaImages {
  private final DockerClient requests;
  private final DockerClient streams;
  private final EngineCalls calls;

  DockerJavaImages(DockerClient requests, DockerClient streams, EngineCalls calls) {
    this.requests = requests;
    this.streams = streams;
    this.calls = calls;
  }

  Optional<ImageInfo> inspectImage(String reference) {
    return calls.lookup("inspect image " + reference, () -> {
      InspectImageResponse r = requests.inspectImageCmd(reference).exec();
      Map<String, String> labels = r.getConfig() == null ? null : r.getConfig().getLabels();
      return new ImageInfo(r.getId(), r.getRepoTags() == null ? List.of() : r.getRepoTags(), nullToEmpty(labels));
    });
  }

  void pullImage(String reference, PullListener progress) {
    ImageReference ref = ImageReference.parse(reference);
    ResultCallback.Adapter<PullResponseItem> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(PullResponseItem item) {
        if (item.isErrorIndicated()) {
          String message = item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : item.getError();
          onError(new DockerOperationException(DockerOperationException.Kind.OTHER,
              "could not pull " + reference + ": " + message, null, null));
          return;
        }
        long current = -1;
        long total = -1;
        if (item.getProgressDetail() != null) {
          current = orMinusOne(item.getProgressDetail().getCurrent());
          total = orMinusOne(item.getProgressDetail().getTotal());
        }
        progress.progress(item.getId(), item.getStatus(), current, total);
      }
    };
    calls.call("pull " + reference, () -> {
      streams.pullImageCmd(ref.repository()).withTag(ref.tagOrDigest()).exec(callback).awaitCompletion();
      return null;
    });
  }

  String buildImage(InputStream contextTar, String tag) {
    return calls.call("build image " + tag, () -> streams.buildImageCmd(contextTar)
        .withTags(Set.of(tag))
        .withPull(false)
        .withRemove(true)
        .exec(new BuildImageResultCallback())
        .awaitImageId());
  }

  private static long orMinusOne(Long value) {
    return value == null ? -1 : value;
  }
}
