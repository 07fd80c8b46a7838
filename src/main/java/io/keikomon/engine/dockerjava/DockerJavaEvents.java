package io.keikomon.engine.dockerjava;

import io.keikomon.engine.ContainerEvent;
import io.keikomon.engine.EventFilter;
import io.keikomon.engine.EventListener;
import io.keikomon.engine.Subscription;

import static io.keikomon.engine.dockerjava.DockerJavaRecords.nullToEmpty;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.time.Instant;
import java.util.Map;

/** The engine's container events over docker-java, filtered by label and action. */
final class DockerJavaEvents {
  private final DockerClient streams;
  private final EngineCalls calls;

  DockerJavaEvents(DockerClient streams, EngineCalls calls) {
    this.streams = streams;
    this.calls = calls;
  }

  Subscription events(EventFilter filter, EventListener listener) {
    ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Event e) {
        Map<String, String> attributes = e.getActor() == null ? Map.of() : nullToEmpty(e.getActor().getAttributes());
        Instant time = e.getTimeNano() != null ? Instant.ofEpochSecond(0, e.getTimeNano())
            : Instant.ofEpochSecond(e.getTime() == null ? 0 : e.getTime());
        String action = e.getAction() != null ? e.getAction() : e.getStatus();
        // newer engines put the container id only on the actor
        String id = e.getActor() != null && e.getActor().getId() != null ? e.getActor().getId() : e.getId();
        listener.event(new ContainerEvent(id, action, attributes, time));
      }

      @Override
      public void onError(Throwable t) {
        listener.failed(t);
        super.onError(t);
      }
    };
    var cmd = streams.eventsCmd().withEventTypeFilter(EventType.CONTAINER).withLabelFilter(filter.labels());
    if (!filter.actions().isEmpty()) {
      cmd.withEventFilter(filter.actions().toArray(String[]::new));
    }
    return new CallbackSubscription(calls.call("watch engine events", () -> cmd.exec(callback)));
  }
}
