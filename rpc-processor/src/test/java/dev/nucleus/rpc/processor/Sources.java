package dev.nucleus.rpc.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/** Compiles test sources with the processor, warnings on, as a user's build would. */
final class Sources {

  /** Types every test source may use: an enum, a record, a declared exception, a class that is neither. */
  static final String COMMON = """
      package test;
      import dev.nucleus.rpc.*;
      """;

  private Sources() {}

  /** Compiles {@code files} (pairs of name and source) with the processor and -Xlint:all. */
  static Compilation compile(String... namesAndSources) {
    final JavaFileObject[] files = new JavaFileObject[namesAndSources.length / 2];
    for (int i = 0; i < files.length; i++) {
      files[i] = JavaFileObjects.forSourceString(namesAndSources[2 * i], namesAndSources[2 * i + 1]);
    }
    return Compiler.javac().withProcessors(new ServiceProcessor()).withOptions("-Xlint:all", "-Werror").compile(files);
  }

  /** The messages of {@code diagnostics}, one per line, for assertion messages. */
  static String messages(List<Diagnostic<? extends JavaFileObject>> diagnostics) {
    return diagnostics.stream().map(d -> d.getMessage(null)).collect(Collectors.joining("\n"));
  }
}
