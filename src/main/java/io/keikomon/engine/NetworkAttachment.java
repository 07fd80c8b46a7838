package io.keikomon.engine;

import java.util.List;

/** A network a container joins, with the names other containers can reach it by there. */
public record NetworkAttachment(String network, List<String> aliases) {
  public NetworkAttachment {
    aliases = List.copyOf(aliases);
  }
}
