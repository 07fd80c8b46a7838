package io.keikomon.engine;

import java.util.List;
import java.util.Map;

/** {@link DeadlineGateway}'s deadlines on the Swarm calls: every one is a request, a service change too. */
final class DeadlineSwarmGateway implements SwarmGateway {
  private final DeadlineGateway bounds;
  private final SwarmGateway inner;

  DeadlineSwarmGateway(DeadlineGateway bounds, SwarmGateway inner) {
    this.bounds = bounds;
    this.inner = inner;
  }

  @Override
  public SwarmInfo swarmInfo() {
    return bounds.within("ask the engine for its swarm state", DeadlineGateway.REQUEST, inner::swarmInfo);
  }

  @Override
  public void initSwarm(String advertiseAddress) {
    bounds.run("initialise a swarm", DeadlineGateway.CHANGE, () -> inner.initSwarm(advertiseAddress));
  }

  @Override
  public Map<String, String> nodeNames() {
    return bounds.within("list swarm nodes", DeadlineGateway.REQUEST, inner::nodeNames);
  }

  @Override
  public List<SwarmService> listServices(Map<String, String> labels) {
    return bounds.within("list services", DeadlineGateway.REQUEST, () -> inner.listServices(labels));
  }

  @Override
  public String createService(SwarmServiceSpec spec) {
    return bounds.within("create service " + spec.name(), DeadlineGateway.CHANGE, () -> inner.createService(spec));
  }

  @Override
  public void updateService(String id, long version, SwarmServiceSpec spec) {
    bounds.run("update service " + spec.name(), DeadlineGateway.CHANGE, () -> inner.updateService(id, version, spec));
  }

  @Override
  public void removeService(String id) {
    bounds.run("remove service " + id, DeadlineGateway.CHANGE, () -> inner.removeService(id));
  }

  @Override
  public List<SwarmTask> listTasks(String serviceId) {
    return bounds.within("list the tasks of service " + serviceId, DeadlineGateway.REQUEST,
        () -> inner.listTasks(serviceId));
  }

  @Override
  public List<SwarmObject> listConfigs(Map<String, String> labels) {
    return bounds.within("list configs", DeadlineGateway.REQUEST, () -> inner.listConfigs(labels));
  }

  @Override
  public String createConfig(String name, Map<String, String> labels, byte[] data) {
    return bounds.within("create config " + name, DeadlineGateway.REQUEST, () -> inner.createConfig(name, labels, data));
  }

  @Override
  public void removeConfig(String id) {
    bounds.run("remove config " + id, DeadlineGateway.REQUEST, () -> inner.removeConfig(id));
  }

  @Override
  public List<SwarmObject> listSecrets(Map<String, String> labels) {
    return bounds.within("list secrets", DeadlineGateway.REQUEST, () -> inner.listSecrets(labels));
  }

  @Override
  public String createSecret(String name, Map<String, String> labels, byte[] data) {
    return bounds.within("create secret " + name, DeadlineGateway.REQUEST, () -> inner.createSecret(name, labels, data));
  }

  @Override
  public void removeSecret(String id) {
    bounds.run("remove secret " + id, DeadlineGateway.REQUEST, () -> inner.removeSecret(id));
  }

  @Override
  public Subscription serviceLogs(String id, LogRequest request, LogListener listener) {
    // the subscription streams on; only opening it is bounded
    return bounds.within("read the log of service " + id, DeadlineGateway.REQUEST,
        () -> inner.serviceLogs(id, request, listener));
  }
}
