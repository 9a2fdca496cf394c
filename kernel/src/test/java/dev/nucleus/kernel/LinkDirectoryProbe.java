package dev.nucleus.kernel;

/**
 * Run in a JVM of its own by {@link LinkDirectoryTest} with {@code NUCLEUS_LINK_DIR} set: prints
 * the default Config's link directory, then the directory of a link that a kernel with that Config
 * creates.
 */
final class LinkDirectoryProbe {

  private LinkDirectoryProbe() {}

  static void main(String[] args) {
    System.out.println(Kernel.Config.defaults().linkDirectory());
    try (Kernel kernel = Kernel.create()) {
      final ProcessSpace opened = kernel.openProcessSpace("probe", kernel.createSpace("client"));
      System.out.println(opened.linkPath().getParent());
    }
  }
}
