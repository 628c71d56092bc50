package dev.cfgctl.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Files that hold secrets (the store, the contexts file): only their owner may read them. */
public final class PrivateFiles {
  private PrivateFiles() {}

  /**
   * Creates {@code file} and its missing parent folder, owner-only, unless they exist; on a file
   * system without POSIX permissions, with its defaults.
   */
  public static void create(Path file) throws IOException {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      if (!Files.exists(file)) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
    } catch (UnsupportedOperationException e) {
      if (!Files.exists(file)) Files.createFile(file);
    }
  }
}
