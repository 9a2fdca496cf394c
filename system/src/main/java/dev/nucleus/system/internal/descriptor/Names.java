package dev.nucleus.system.internal.descriptor;

import dev.nucleus.system.DescriptorException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules for names in a descriptor. Names of the system, groups, components and drivers are
 * short and safe in a file name, a status line and a command line; service names may also hold
 * dots, for a hierarchy ({@code store.kv}).
 */
final class Names {

  /** A name of the system, a group, a component or a driver. */
  static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");

  /** What {@link #NAME} says, for a message. */
  static final String NAME_RULE = "a name of 1 to 32 characters a-z, 0-9 and -";

  /** A service name. */
  static final Pattern SERVICE = Pattern.compile("[a-z0-9.-]{1,48}");

  /** What {@link #SERVICE} says, for a message. */
  static final String SERVICE_RULE = "a service name of 1 to 48 characters a-z, 0-9, . and -";

  private Names() {}

  /**
   * The required name at {@code key} of {@code table}.
   *
   * @param table the table
   * @param key the key
   * @return the name
   * @throws DescriptorException if it is missing, not a string, or breaks {@link #NAME}
   */
  static String name(TomlTable table, String key) throws DescriptorException {
    final String name = table.requiredString(key, NAME_RULE);
    if (!NAME.matcher(name).matches()) {
      throw table.error(key, "expected " + NAME_RULE + ", got " + Values.quote(name));
    }
    return name;
  }

  /**
   * The service names at {@code key} of {@code table}: each follows {@link #SERVICE}, none twice.
   *
   * @param table a component's table
   * @param key {@code provides} or {@code imports}
   * @return the names, empty if the key is missing
   * @throws DescriptorException if a name breaks the rule or repeats
   */
  static List<String> services(TomlTable table, String key) throws DescriptorException {
    final List<String> services = table.strings(key, SERVICE_RULE);
    final List<String> seen = new ArrayList<>(services.size());
    for (int i = 0; i < services.size(); i++) {
      final String service = services.get(i);
      final String element = SourceLines.element(table.pathOf(key), i);
      if (!SERVICE.matcher(service).matches()) {
        throw table.errors().at(table.pathOf(key), element,
            "expected " + SERVICE_RULE + ", got " + Values.quote(service));
      }
      if (seen.contains(service)) {
        throw table.errors().at(table.pathOf(key), element,
            "expected each service once, got " + Values.quote(service) + " twice");
      }
      seen.add(service);
    }
    return services;
  }

  /**
   * The values of {@code type} by their names in lower case, in declaration order: the choices of
   * {@link TomlTable#choice}.
   *
   * @param <E> the enum
   * @param type the enum's class
   * @return {@code "one_for_one" -> ONE_FOR_ONE, ...}
   */
  static <E extends Enum<E>> Map<String, E> lowerCase(Class<E> type) {
    final Map<String, E> choices = new LinkedHashMap<>();
    for (E value : type.getEnumConstants()) {
      choices.put(value.name().toLowerCase(Locale.ROOT), value);
    }
    return choices;
  }
}
