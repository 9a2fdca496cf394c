package dev.nucleus.rpc;

import dev.nucleus.kernel.ProcessSpace;
import dev.nucleus.kernel.Space;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The root's register of exported services by name, and of which spaces may import each: the
 * capability to import. The root registers an export under a name, grants the name to the spaces
 * that may use it, and those spaces bind by name; a name not granted is
 * {@link NotPermittedException}. A thread space of the root binds through {@link #bind}; a process
 * space is granted by having the server's id offered to it ({@link ProcessSpace#offer}), and
 * binds inside its process with {@link KernelBinding#granted}.
 *
 * <p>A grant is enforced at the server too: a registered export serves only the spaces granted
 * it, so a space that learns the id some other way gets {@link NotPermittedException}; and the
 * kernel's channels still decide whether IPC between the two spaces is permitted at all.
 *
 * <p>Thread-safe.
 */
public final class ServiceRegistry {

  private record Entry(RpcServer export, Set<Integer> granted) {}

  private final Map<String, Entry> entries = new HashMap<>();

  /** An empty registry. */
  public ServiceRegistry() {}

  /**
   * Registers {@code export} under {@code name}, granted to no one yet: the export
   * {@linkplain RpcServer#restrict serves} from now on only the spaces granted it here (so an id
   * learned some other way is of no use).
   *
   * @param name the name importers use
   * @param export the export
   * @throws IllegalArgumentException if the name is taken
   */
  public synchronized void register(String name, RpcServer export) {
    Objects.requireNonNull(export, "export");
    if (entries.putIfAbsent(Objects.requireNonNull(name, "name"), new Entry(export, new HashSet<>())) != null) {
      throw new IllegalArgumentException("a service is registered as '" + name + "' already");
    }
    export.restrict();
  }

  /**
   * Grants {@code importer}, a thread space of the root, the service registered as {@code name}.
   *
   * @param importer the space that may bind to it
   * @param name a registered name
   * @throws IllegalArgumentException if nothing is registered under {@code name}
   */
  public synchronized void grant(Space importer, String name) {
    final Entry e = entry(name);
    e.granted().add(importer.number());
    e.export().permit(importer.number());
  }

  /**
   * Grants {@code importer}, a process space, the service registered as {@code name}: offers the
   * export's id to the process under that name, where {@link KernelBinding#granted} finds it.
   *
   * @param importer the process space that may bind to it
   * @param name a registered name
   * @throws IllegalArgumentException if nothing is registered under {@code name}, or the export's
   *     space is not one the process can reach (its peer, or a process space it is connected to)
   * @throws IllegalStateException if the process space has ended or its names are full
   */
  public synchronized void grant(ProcessSpace importer, String name) {
    final Entry e = entry(name);
    importer.offer(name, e.export().id());
    e.granted().add(importer.number());
    e.export().permit(importer.number());
  }

  /**
   * A binding, for threads of {@code importer}, to the service registered as {@code name}.
   *
   * @param importer the importing thread space
   * @param name the name
   * @param service the importer's descriptor of the service
   * @return the binding; make proxies with {@link KernelBinding#proxy}
   * @throws NotPermittedException if nothing is registered under {@code name} or it is not
   *     granted to {@code importer}
   * @throws IllegalArgumentException if the service registered under {@code name} is another one
   */
  public synchronized KernelBinding bind(Space importer, String name, ServiceDescriptor<?> service) {
    final Entry e = entries.get(name);
    if (e == null || !e.granted().contains(importer.number())) {
      throw new NotPermittedException("space " + importer.name() + " was granted no service '" + name + "'");
    }
    if (e.export().service().id() != service.id()) {
      throw new IllegalArgumentException("'" + name + "' is service " + e.export().service().name() + ", not "
          + service.name());
    }
    return KernelBinding.to(importer, e.export().id(), service);
  }

  private Entry entry(String name) {
    final Entry e = entries.get(name);
    if (e == null) {
      throw new IllegalArgumentException("no service is registered as '" + name + "'");
    }
    return e;
  }
}
