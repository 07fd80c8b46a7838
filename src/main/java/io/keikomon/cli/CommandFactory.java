package io.keikomon.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Gives each command class its {@link Services} when it has a constructor taking them. */
final class CommandFactory implements CommandLine.IFactory {
  private final Services services;
  private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

  CommandFactory(Services services) {
    this.services = services;
  }

  @Override
  public <K> K create(Class<K> cls) throws Exception {
    for (Constructor<?> c : cls.getDeclaredConstructors()) {
      if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == Services.class) {
        c.setAccessible(true);
        return cls.cast(c.newInstance(services));
      }
    }
    return fallback.create(cls);
  }
}
