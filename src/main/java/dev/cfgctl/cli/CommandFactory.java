package dev.cfgctl.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Creates commands with their collaborators: a command class with a constructor taking {@link Io}
 * gets the process's streams that way; everything else is made by picocli's default factory.
 */
public final class CommandFactory implements CommandLine.IFactory {
  private final Io io;

  public CommandFactory(Io io) {
    this.io = io;
  }

  @Override
  public <K> K create(Class<K> cls) throws Exception {
    try {
      Constructor<K> c = cls.getDeclaredConstructor(Io.class);
      return c.newInstance(io);
    } catch (NoSuchMethodException e) {
      return CommandLine.defaultFactory().create(cls);
    }
  }
}
