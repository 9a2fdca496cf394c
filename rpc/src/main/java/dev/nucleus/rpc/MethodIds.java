package dev.nucleus.rpc;

import java.nio.charset.StandardCharsets;

/**
 * Method and service ids: 32-bit FNV-1a hashes, computed by the annotation processor at compile
 * time and emitted as constants (this class is the one definition both use).
 *
 * <ul>
 *   <li>A <b>method id</b> is the hash of the method's name followed by its signature: the JVM
 *       method descriptor, with the type arguments of {@code List} parameters and results
 *       written as in a generic signature, e.g. {@code get(J)J},
 *       {@code put(Ljava/lang/String;[B)V},
 *       {@code names()Ljava/util/List<Ljava/lang/String;>;}. So adding a method never changes the
 *       ids of the others, and changing a method's parameter or result types makes it another
 *       method (its old id is then unknown to the server).
 *   <li>A <b>service id</b> is the hash of the service's name ({@link Service#name()}).
 * </ul>
 *
 * <p>FNV-1a, 32 bits: {@code h = 0x811c9dc5; for each UTF-8 byte b: h = (h ^ b) * 0x01000193}.
 * The processor rejects two methods of one interface whose ids collide.
 *
 * <p>This class is stateless and thread-safe.
 */
public final class MethodIds {

  /** FNV-1a's 32-bit offset basis. */
  static final int FNV_OFFSET_BASIS = 0x811c9dc5;
  /** FNV-1a's 32-bit prime. */
  static final int FNV_PRIME = 0x01000193;

  private MethodIds() {}

  /**
   * The 32-bit FNV-1a hash of the UTF-8 bytes of {@code text}.
   *
   * @param text any string
   * @return its hash
   */
  public static int fnv1a(String text) {
    int h = FNV_OFFSET_BASIS;
    for (final byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * FNV_PRIME;
    }
    return h;
  }

  /**
   * The id of a method.
   *
   * @param name the method's name, e.g. {@code get}
   * @param signature its signature as described above, e.g. {@code (J)J}
   * @return {@code fnv1a(name + signature)}
   */
  public static int methodId(String name, String signature) {
    return fnv1a(name + signature);
  }

  /**
   * The id of a service.
   *
   * @param serviceName the service's name
   * @return {@code fnv1a(serviceName)}
   */
  public static int serviceId(String serviceName) {
    return fnv1a(serviceName);
  }

  /**
   * The form ids are printed in: {@code 0x} and eight hex digits.
   *
   * @param id a method or service id
   * @return e.g. {@code 0x0a1b2c3d}
   */
  public static String toString(int id) {
    return String.format("0x%08x", id);
  }
}
