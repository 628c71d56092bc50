package dev.cfgctl.store.jdbc;

import dev.cfgctl.internal.BaseDirs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * sqlite-jdbc's native library, kept in the user's cache directory. By default sqlite-jdbc copies
 * the library (about 1 MB) out of the jar into a new temporary file on every start and deletes it
 * at exit: a third of the time of a short command on the embedded store. Here it is copied once per
 * sqlite-jdbc version and platform and loaded from there. Any trouble leaves sqlite-jdbc's own way.
 */
final class NativeLibrary {
  private static boolean done;

  private NativeLibrary() {}

  static synchronized void useCached() {
    if (done || System.getProperty("org.sqlite.lib.path") != null) return;
    done = true;
    try {
      String folder = OSInfo.getNativeLibFolderPathForCurrentOS();
      String name = System.mapLibraryName("sqlitejdbc");
      String resource = "/org/sqlite/native/" + folder + "/" + name;
      Path dir =
          BaseDirs.of(System.getenv())
              .cache()
              .resolve("native")
              .resolve(SQLiteJDBCLoader.getVersion())
              .resolve(folder);
      Path lib = dir.resolve(name);
      if (!Files.isRegularFile(lib)) {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
          if (in == null) return; // not in this jar: sqlite-jdbc finds it elsewhere
          Files.createDirectories(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
          Path tmp = Files.createTempFile(dir, name, ".tmp");
          try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE);
          } finally {
            Files.deleteIfExists(tmp);
          }
        }
      }
      System.setProperty("org.sqlite.lib.path", dir.toString());
      System.setProperty("org.sqlite.lib.name", name);
    } catch (IOException | RuntimeException | LinkageError e) {
      // sqlite-jdbc extracts the library itself, as it always does
    }
  }
}
