package io.keikomon.engine;

/**
 * A bind mount of a host path or a named volume inside a container.
 *
 * @param source absolute host path (BIND) or volume name (VOLUME)
 * @param propagation bind propagation such as {@code rslave} or {@code rprivate}, or null for the default
 */
public record Mount(Type type, String source, String target, boolean readOnly, String propagation) {
  public enum Type { BIND, VOLUME }

  public static Mount bind(String hostPath, String target, boolean readOnly) {
    return new Mount(Type.BIND, hostPath, target, readOnly, null);
  }

  public static Mount volume(String name, String target) {
    return new Mount(Type.VOLUME, name, target, false, null);
  }

  public Mount withPropagation(String mode) {
    return new Mount(type, source, target, readOnly, mode);
  }

  /** {@code source:target[:ro][,propagation]}, the short syntax Docker and Compose use. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(source).append(':').append(target);
    String opts = (readOnly ? "ro" : "") + (propagation == null ? "" : (readOnly ? "," : "") + propagation);
    if (!opts.isEmpty()) {
      sb.append(':').append(opts);
    }
    return sb.toString();
  }
}
