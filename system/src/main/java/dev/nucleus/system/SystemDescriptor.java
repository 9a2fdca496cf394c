package dev.nucleus.system;

import dev.nucleus.system.internal.descriptor.DescriptorReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A system, as its TOML descriptor declares it: its components, the groups that supervise them,
 * and its drivers, all checked. docs/system-descriptor.md is the reference of the file; in short:
 *
 * <pre>{@code
 * name = "kv-demo"
 *
 * [[component]]
 * name = "kv"
 * class = "dev.nucleus.examples.kv.KvComponent"
 * isolation = "process"
 * provides = ["kv"]
 *
 * [[component]]
 * name = "client"
 * class = "dev.nucleus.examples.kv.KvClient"
 * imports = ["kv"]
 * }</pre>
 *
 * <p>{@link #load} and {@link #parse} check everything that can be checked before the system
 * runs: every key is known and of its type and range, names are well formed and unique, each
 * service has one provider, each import has a provider other than its importer, the imports form
 * no cycle, each component's class can be made, each driver has what its kind needs. The first
 * error found is a {@link DescriptorException} naming the file, line and key.
 *
 * <p>Immutable and thread-safe.
 *
 * @param source the file the descriptor was read from, as given
 * @param name the system's name, {@code [a-z0-9-]{1,32}}
 * @param supervisor the top group's policy: the group, named {@code ""}, of the components that
 *     name no group, and the supervisor of the other groups
 * @param groups the other groups, in declaration order
 * @param components the components in start order: every provider before its importers, and
 *     otherwise in declaration order
 * @param drivers the drivers, in declaration order
 */
public record SystemDescriptor(
    Path source,
    String name,
    GroupSpec supervisor,
    List<GroupSpec> groups,
    List<ComponentSpec> components,
    List<DriverSpec> drivers) {

  /**
   * A descriptor, as given; the lists are copied. Nothing is checked beyond nulls: {@link #load}
   * and {@link #parse} are the checked ways in.
   *
   * @throws NullPointerException if any reference, or any list element, is null
   */
  public SystemDescriptor {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(supervisor, "supervisor");
    groups = List.copyOf(groups);
    components = List.copyOf(components);
    drivers = List.copyOf(drivers);
  }

  /**
   * Reads and checks the descriptor in {@code file}, UTF-8 TOML. Blocks on the file's I/O.
   *
   * @param file the descriptor
   * @param loader the class loader the root task will load the component classes with: each must
   *     be found by it (it is loaded, not initialized)
   * @return the descriptor
   * @throws DescriptorException if the file cannot be read, is not UTF-8, or the descriptor is not
   *     valid (see {@link #parse})
   */
  public static SystemDescriptor load(Path file, ClassLoader loader) throws DescriptorException {
    Objects.requireNonNull(file, "file");
    final String toml;
    try {
      toml = Files.readString(file);
    } catch (CharacterCodingException e) {
      throw new DescriptorException(file, 0, "", "cannot read: expected UTF-8 text", e);
    } catch (IOException e) {
      throw new DescriptorException(file, 0, "", "cannot read: " + e, e);
    }
    return parse(toml, file, loader);
  }

  /**
   * Checks the descriptor {@code toml}, read from {@code source}.
   *
   * @param toml the descriptor's text
   * @param source the file it came from: errors name it, and a file driver's relative path is
   *     resolved against its directory
   * @param loader the class loader the root task will load the component classes with
   * @return the descriptor
   * @throws DescriptorException for the first error found: a TOML syntax error, an unknown key, a
   *     value of the wrong type or out of range, a missing required key, a malformed or repeated
   *     name, a service with two providers, an import no other component provides, an import
   *     cycle, a component class that cannot be made, a driver without what its kind needs
   */
  public static SystemDescriptor parse(String toml, Path source, ClassLoader loader) throws DescriptorException {
    Objects.requireNonNull(toml, "toml");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(loader, "loader");
    return DescriptorReader.read(toml, source, loader);
  }

  /**
   * The component named {@code name}.
   *
   * @param name a component's name
   * @return the component
   * @throws IllegalArgumentException if no component has that name
   */
  public ComponentSpec component(String name) {
    for (ComponentSpec component : components) {
      if (component.name().equals(name)) {
        return component;
      }
    }
    throw new IllegalArgumentException("system " + this.name + " has no component " + name);
  }

  /**
   * The component that provides {@code service}.
   *
   * @param service a service name
   * @return the provider, or empty if no component provides it
   */
  public Optional<ComponentSpec> provider(String service) {
    return components.stream().filter(component -> component.provides().contains(service)).findFirst();
  }

  /**
   * The group named {@code name}: a component's {@link ComponentSpec#group()}.
   *
   * @param name a group's name; {@code ""} or null for the top group, {@link #supervisor()}
   * @return the group
   * @throws IllegalArgumentException if no group has that name
   */
  public GroupSpec group(String name) {
    if (name == null || name.isEmpty()) {
      return supervisor;
    }
    for (GroupSpec group : groups) {
      if (group.name().equals(name)) {
        return group;
      }
    }
    throw new IllegalArgumentException("system " + this.name + " has no group " + name);
  }
}
