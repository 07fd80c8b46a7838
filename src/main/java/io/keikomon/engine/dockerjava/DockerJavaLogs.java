package io.keikomon.engine.dockerjava;

import io.keikomon.engine.LogListener;
import io.keikomon.engine.LogRequest;
import io.keikomon.engine.Subscription;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;

/** Container logs over docker-java, as whole lines (also the frame decoding of service logs). */
final class DockerJavaLogs {
  private final DockerClient streams;
  private final EngineCalls calls;

  DockerJavaLogs(DockerClient streams, EngineCalls calls) {
    this.streams = streams;
    this.calls = calls;
  }

  /** Log frames of a container or a service as whole lines, stdout and stderr apart. */
  static ResultCallback.Adapter<Frame> frameLines(LogListener listener) {
    LineAssembler stdout = new LineAssembler(line -> listener.line(false, line));
    LineAssembler stderr = new LineAssembler(line -> listener.line(true, line));
    return new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).accept(frame.getPayload());
      }

      @Override
      public void onComplete() {
        stdout.finish();
        stderr.finish();
        super.onComplete();
      }
    };
  }

  Subscription logs(String id, LogRequest request, LogListener listener) {
    ResultCallback.Adapter<Frame> callback = frameLines(listener);
    LogContainerCmd cmd = streams.logContainerCmd(id).withStdOut(true).withStdErr(true)
        .withFollowStream(request.follow());
    if (request.tail() >= 0) {
      cmd.withTail(request.tail());
    } else {
      cmd.withTailAll();
    }
    if (request.since() != null) {
      cmd.withSince((int) request.since().getEpochSecond());
    }
    return new CallbackSubscription(calls.call("read the log of container " + id, () -> cmd.exec(callback)));
  }
}
