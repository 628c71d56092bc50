package dev.cfgctl.cli.file;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.patch.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes documents to stdout or, atomically, to files. */
public final class Outputs {
  private Outputs() {}

  /** The file a path names, through symbolic links, so --in-place edits the file, not the link. */
  public static Path followLinks(Path p) {
    try {
      return Files.isSymbolicLink(p) ? p.toRealPath() : p;
    } catch (IOException e) {
      return p;
    }
  }

  /**
   * Replaces {@code target} with {@code node}: written to a temporary file in the same directory,
   * forced to disk, then renamed over the target, so a crash or a full disk never leaves a
   * half-written file. An existing file keeps its permissions.
   */
  public static void writeAtomically(Path target, JsonNode node, boolean pretty) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      if (Files.isDirectory(target)) throw CliException.usage(target + " is a directory", null);
      tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
        Json.write(node, out, pretty);
        out.write('\n');
      }
      try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      if (Files.exists(target)) {
        try {
          Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: keep the default permissions
        }
      } else {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: keep the default permissions
        }
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      try (var d = java.nio.channels.FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true); // the rename itself must reach the disk too
      } catch (IOException e) {
        // some file systems cannot sync a directory; the file itself is on disk
      }
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCode.NOT_FOUND, "cannot write " + target + ": no such directory");
    } catch (AccessDeniedException e) {
      throw CliException.usage("cannot write " + target + ": permission denied", null);
    } catch (IOException e) {
      throw CliException.usage("cannot write " + target + ": " + e.getMessage(), null);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temporary file is hidden and harmless
        }
      }
    }
  }

  /**
   * Creates {@code file} empty and owner-only (0600) from the start, so a secret written to it is
   * never readable by others; refuses an existing file unless {@code replace}. Returns its absolute
   * path.
   */
  public static Path createOwnerOnly(Path file, boolean replace) {
    Path abs = file.toAbsolutePath().normalize();
    try {
      if (Files.isDirectory(abs))
        throw CliException.usage("cannot write " + file + ": it is a directory", null);
      // --force replaces a file, never a link or a device (/dev/stdout as root would be deleted)
      if (replace
          && Files.exists(abs, LinkOption.NOFOLLOW_LINKS)
          && !Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) {
        throw CliException.usage(
            "cannot replace " + file + ": it is not a plain file",
            "name a new file, or a plain file to replace");
      }
      if (replace) Files.deleteIfExists(abs);
      Files.createFile(
          abs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      return abs;
    } catch (FileAlreadyExistsException e) {
      throw CliException.usage(
          file + " already exists", "choose another file, or replace it with --force");
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCode.NOT_FOUND, "cannot write " + file + ": no such directory");
    } catch (AccessDeniedException e) {
      throw CliException.usage("cannot write " + file + ": permission denied", null);
    } catch (IOException | UnsupportedOperationException e) {
      throw CliException.usage("cannot write " + file + ": " + e.getMessage(), null);
    }
  }

  /** Writes a secret, one line, into a file {@link #createOwnerOnly} made. */
  public static void writeSecret(Path file, String secret) {
    try {
      Files.writeString(
          file, secret + "\n", StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw CliException.usage("cannot write " + file + ": " + e.getMessage(), null);
    }
  }

  /** Removes a file this command made and no longer wants; null is nothing to do. */
  public static void deleteQuietly(Path file) {
    if (file == null) return;
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // best effort: the file is empty and owner-only
    }
  }
}
