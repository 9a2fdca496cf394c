package dev.nucleus.system;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One {@code [[component]]} of a descriptor, validated: its class exists and can be made, its
 * group exists, every service it imports has a provider. Immutable.
 *
 * @param name the component's name, unique in the system, {@code [a-z0-9-]{1,32}}
 * @param className the binary name of its class: public, implements {@link Component}, has a
 *     public no-argument constructor
 * @param isolation a thread space of the root JVM, or a process of its own
 * @param jvmOptions the child JVM's options, for a process component; empty for a thread one
 * @param serverThreads the server threads of each service it exports, 1 to 64
 * @param restart when it is restarted after it ends
 * @param backoff the delay before its first restart, doubled on each further restart up to
 *     {@code maxBackoff}; zero to restart at once
 * @param maxBackoff the longest delay before a restart, at least {@code backoff}
 * @param group the name of its supervision group; {@code ""} for the top group
 * @param provides the services it exports, by name, unique across the system
 * @param imports the services it may bind to, each provided by another component: its capabilities
 * @param args its arguments, for {@link ComponentContext#args()}
 */
public record ComponentSpec(
    String name,
    String className,
    Isolation isolation,
    List<String> jvmOptions,
    int serverThreads,
    RestartPolicy restart,
    Duration backoff,
    Duration maxBackoff,
    String group,
    List<String> provides,
    List<String> imports,
    List<String> args) {

  /**
   * A component, as given; the lists are copied.
   *
   * @throws NullPointerException if any reference, or any list element, is null
   */
  public ComponentSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(isolation, "isolation");
    jvmOptions = List.copyOf(jvmOptions);
    Objects.requireNonNull(restart, "restart");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(group, "group");
    provides = List.copyOf(provides);
    imports = List.copyOf(imports);
    args = List.copyOf(args);
  }
}
