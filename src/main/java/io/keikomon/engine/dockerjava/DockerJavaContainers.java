package io.keikomon.engine.dockerjava;

import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerSpec;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.ExecResult;
import io.keikomon.engine.NetworkAttachment;

import static io.keikomon.engine.dockerjava.DockerJavaRecords.details;
import static io.keikomon.engine.dockerjava.DockerJavaRecords.nullToEmpty;
import static io.keikomon.engine.dockerjava.DockerJavaRecords.stripSlash;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The container calls of {@link DockerJavaGateway}: list, inspect, create (and connect to its further networks),
 * start, stop, signal, remove, wait and exec.
 */
final class DockerJavaContainers {
  private final DockerClient requests;
  private final DockerClient streams;
  private final EngineCalls calls;

  DockerJavaContainers(DockerClient requests, DockerClient streams, EngineCalls calls) {
    this.requests = requests;
    this.streams = streams;
    this.calls = calls;
  }

  List<ContainerSummary> listContainers(Map<String, String> labels) {
    List<Container> found = calls.call("list containers",
        () -> requests.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec());
    List<ContainerSummary> result = new ArrayList<>();
    for (Container c : found) {
      String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : stripSlash(c.getNames()[0]);
      result.add(new ContainerSummary(c.getId(), name, c.getImage(), c.getState(), nullToEmpty(c.getLabels())));
    }
    return result;
  }

  Optional<ContainerDetails> inspectContainer(String idOrName) {
    return calls.lookup("inspect container " + idOrName,
        () -> details(requests.inspectContainerCmd(idOrName).exec()));
  }

  String createContainer(ContainerSpec spec) {
    String id = calls.call("create container " + spec.name(),
        () -> ContainerCreation.command(requests, spec).exec().getId());
    List<NetworkAttachment> more = spec.networks().size() > 1 ? spec.networks().subList(1, spec.networks().size())
        : List.of();
    for (NetworkAttachment n : more) {
      calls.call("connect " + spec.name() + " to network " + n.network(), () -> {
        requests.connectToNetworkCmd().withContainerId(id).withNetworkId(n.network())
            .withContainerNetwork(new ContainerNetwork().withAliases(n.aliases())).exec();
        return null;
      });
    }
    return id;
  }

  void startContainer(String id) {
    calls.call("start container " + id, () -> {
      try {
        requests.startContainerCmd(id).exec();
      } catch (NotModifiedException alreadyRunning) {
        // started already: that is what the caller wants
      }
      return null;
    });
  }

  void stopContainer(String id, Duration grace) {
    calls.quietlyIfGone("stop container " + id, () -> {
      try {
        streams.stopContainerCmd(id).withTimeout((int) Math.max(0, grace.toSeconds())).exec();
      } catch (NotModifiedException alreadyStopped) {
        // stopped already
      }
    });
  }

  void signalContainer(String id, String signal) {
    calls.call("send " + signal + " to container " + id, () -> {
      requests.killContainerCmd(id).withSignal(signal).exec();
      return null;
    });
  }

  void removeContainer(String id, boolean force) {
    calls.quietlyIfGone("remove container " + id, () -> {
      try {
        streams.removeContainerCmd(id).withForce(force).withRemoveVolumes(true).exec();
      } catch (ConflictException e) {
        if (e.getMessage() == null || !e.getMessage().contains("already in progress")) {
          throw e;
        }
      }
    });
  }

  int waitForExit(String id, Duration timeout) {
    WaitContainerResultCallback callback = new WaitContainerResultCallback();
    try {
      return calls.call("wait for container " + id, () -> streams.waitContainerCmd(id).exec(callback)
          .awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } finally {
      EngineCalls.closeQuietly(callback);
    }
  }

  ExecResult exec(String id, List<String> cmdLine, Duration timeout) {
    String execId = calls.call("run " + String.join(" ", cmdLine) + " in container " + id,
        () -> requests.execCreateCmd(id).withCmd(cmdLine.toArray(String[]::new))
            .withAttachStdout(true).withAttachStderr(true).exec().getId());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        (frame.getStreamType() == StreamType.STDERR ? err : out).writeBytes(frame.getPayload());
      }
    };
    boolean finished = calls.call("run " + cmdLine.get(0) + " in container " + id,
        () -> streams.execStartCmd(execId).exec(callback).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS));
    EngineCalls.closeQuietly(callback);
    if (!finished) {
      // a probe that hangs is an answer too (the caller decides what it means), not an engine failure
      return new ExecResult(ExecResult.TIMED_OUT, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8) + "(no result within " + timeout.toMillis() + " ms)\n");
    }
    Long code = calls.call("inspect exec " + execId, () -> requests.inspectExecCmd(execId).exec().getExitCodeLong());
    return new ExecResult(code == null ? -1 : code.intValue(),
        out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
