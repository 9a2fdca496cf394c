package dev.nucleus.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An output file named on the command line ({@code --json FILE}): checked before a long run, so
 * that a bad path fails at once, and described in one line when it cannot be written. Its
 * directory must exist; the file is created or replaced. Shared by the {@code nucleus} command
 * and the bench. Stateless and thread-safe.
 */
public final class OutputFile {

  private OutputFile() {}

  /**
   * Why {@code file} cannot be written, in a few words, or empty if it can: its directory exists
   * and a file can be created there (tried, then removed), or it exists and opens for writing.
   * Nothing is left behind and an existing file is not changed.
   *
   * @param file the path the user gave
   * @return the problem, or empty if the file can be written
   */
  public static Optional<String> problem(Path file) {
    final Path abs = file.toAbsolutePath();
    if (Files.isDirectory(abs)) {
      return Optional.of("it is a directory");
    }
    final Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return Optional.of(dir != null && Files.exists(dir) ? dir + " is not a directory" : "no such directory " + dir);
    }
    try {
      if (Files.exists(abs)) {
        FileChannel.open(abs, StandardOpenOption.WRITE).close(); // no truncation: the content stays until the write
      } else {
        Files.delete(Files.createTempFile(dir, ".nucleus-", ".probe"));
      }
      return Optional.empty();
    } catch (IOException | SecurityException e) {
      return Optional.of(reason(e));
    }
  }

  /**
   * The cause of a failed write in a few words, without the path (the caller names it).
   *
   * @param e what the write threw
   * @return a few words, e.g. "permission denied"
   */
  public static String reason(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileAlreadyExistsException f) { // from creating a directory where a file is
      return f.getFile() + " exists and is not a directory";
    }
    if (e instanceof AccessDeniedException || e instanceof SecurityException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    final String message = e.getMessage();
    if (e instanceof FileNotFoundException && message != null && message.endsWith(")") && message.contains(" (")) {
      return message.substring(message.lastIndexOf(" (") + 2, message.length() - 1); // "path (reason)"
    }
    return message != null && !message.isBlank() ? OneLineErrors.oneLine(message) : e.getClass().getSimpleName();
  }
}
