package io.keikomon.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Swarm part of the engine API (services, tasks, configs, secrets), reached through
 * {@link DockerGateway#swarm()}. Same rules: lookups return empty for what does not exist, removals of what is
 * gone succeed quietly, other failures are {@link DockerOperationException}s.
 */
public interface SwarmGateway {
  /** Whether this engine is in a swarm and a manager (only a manager can deploy). */
  SwarmInfo swarmInfo();

  /** {@code docker swarm init --advertise-addr <advertiseAddress>}. */
  void initSwarm(String advertiseAddress);

  /** Node id to host name, for every node of the swarm. */
  Map<String, String> nodeNames();

  List<SwarmService> listServices(Map<String, String> labels);

  /** Creates the service and returns its id. */
  String createService(SwarmServiceSpec spec);

  /** Replaces the spec of service {@code id}, which must still be at {@code version} (optimistic lock). */
  void updateService(String id, long version, SwarmServiceSpec spec);

  void removeService(String id);

  /** Every task Swarm keeps of {@code serviceId} (old and failed ones too, see {@link SwarmTask#desiredState()}). */
  List<SwarmTask> listTasks(String serviceId);

  List<SwarmObject> listConfigs(Map<String, String> labels);

  String createConfig(String name, Map<String, String> labels, byte[] data);

  void removeConfig(String id);

  List<SwarmObject> listSecrets(Map<String, String> labels);

  String createSecret(String name, Map<String, String> labels, byte[] data);

  void removeSecret(String id);

  /** The log lines of every task of service {@code id}, as {@code docker service logs} shows them. */
  Subscription serviceLogs(String id, LogRequest request, LogListener listener);

  /** Not in a swarm (or not reachable): what {@link #swarmInfo()} says. */
  record SwarmInfo(String localNodeState, boolean manager, String nodeId, String nodeAddress) {
    public boolean active() {
      return "active".equals(localNodeState);
    }
  }

  /** A config or a secret. */
  record SwarmObject(String id, String name, Map<String, String> labels) {
    public SwarmObject {
      labels = Map.copyOf(labels);
    }
  }

  /**
   * A service as Swarm reports it. {@code updateState} is the state of its last rolling update (updating,
   * completed, paused, rollback_started, ...), or "" when it was never updated.
   */
  record SwarmService(String id, String name, long version, Map<String, String> labels, Integer replicas,
      String updateState, String updateMessage) {
    public SwarmService {
      labels = Map.copyOf(labels);
    }

    public boolean global() {
      return replicas == null;
    }
  }

  /**
   * One task: {@code state} is where it is (new, pending, starting, running, failed, shutdown, ...), {@code
   * desiredState} where Swarm wants it (running for current tasks; shutdown for replaced ones).
   */
  record SwarmTask(String id, String serviceId, int slot, String nodeId, String state, String desiredState,
      String containerId, String message, String error, java.time.Instant since) {
    public boolean current() {
      return "running".equals(desiredState) || "ready".equals(desiredState);
    }

    public boolean running() {
      return "running".equals(state);
    }

    public Optional<String> container() {
      return Optional.ofNullable(containerId).filter(c -> !c.isEmpty());
    }
  }
}
