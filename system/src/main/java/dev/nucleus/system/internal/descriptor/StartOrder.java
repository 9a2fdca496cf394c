package dev.nucleus.system.internal.descriptor;

import dev.nucleus.system.ComponentSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;

/**
 * The order in which a system's components start: every provider before its importers, and
 * otherwise the order of declaration. Kahn's algorithm, taking at each step the ready component
 * declared first, so the result is the one order that a reader of the file expects: the declared
 * order, with each importer moved after its providers.
 *
 * <p>If the imports form a cycle no order exists; {@link #cycle} names one, starting at its member
 * declared first: {@code a -> b -> a} says that a imports a service of b and b one of a.
 */
final class StartOrder {

  private StartOrder() {}

  /**
   * The start order, as indexes into {@code declared}, or, if the imports form a cycle, the cycle.
   *
   * @param order the indexes in start order; empty if there is a cycle
   * @param cycle the components of a cycle, the first repeated at the end; empty if there is none
   */
  record Result(List<Integer> order, List<Integer> cycle) {}

  /**
   * Orders {@code declared}.
   *
   * @param declared the components in declaration order; every import has a provider among them
   *     other than its importer
   * @return the order, or a cycle
   */
  static Result of(List<ComponentSpec> declared) {
    final List<List<Integer>> providersOf = providers(declared);
    final List<List<Integer>> importersOf = new ArrayList<>();
    final int[] waitingFor = new int[declared.size()];
    for (int i = 0; i < declared.size(); i++) {
      importersOf.add(new ArrayList<>());
    }
    for (int importer = 0; importer < declared.size(); importer++) {
      for (int provider : providersOf.get(importer)) {
        importersOf.get(provider).add(importer);
        waitingFor[importer]++;
      }
    }
    final Queue<Integer> ready = new PriorityQueue<>();
    for (int i = 0; i < declared.size(); i++) {
      if (waitingFor[i] == 0) {
        ready.add(i);
      }
    }
    final List<Integer> order = new ArrayList<>(declared.size());
    while (!ready.isEmpty()) {
      final int next = ready.remove();
      order.add(next);
      for (int importer : importersOf.get(next)) {
        if (--waitingFor[importer] == 0) {
          ready.add(importer);
        }
      }
    }
    if (order.size() == declared.size()) {
      return new Result(order, List.of());
    }
    return new Result(List.of(), cycle(providersOf, waitingFor));
  }

  /**
   * For each component, the distinct providers of its imports, in the order of its imports.
   */
  private static List<List<Integer>> providers(List<ComponentSpec> declared) {
    final Map<String, Integer> providerOf = new HashMap<>();
    for (int i = 0; i < declared.size(); i++) {
      for (String service : declared.get(i).provides()) {
        providerOf.put(service, i);
      }
    }
    final List<List<Integer>> providers = new ArrayList<>(declared.size());
    for (ComponentSpec component : declared) {
      final List<Integer> mine = new ArrayList<>();
      for (String service : component.imports()) {
        final int provider = providerOf.get(service);
        if (!mine.contains(provider)) {
          mine.add(provider);
        }
      }
      providers.add(mine);
    }
    return providers;
  }

  /**
   * A cycle among the components Kahn's algorithm could not order ({@code waitingFor > 0}): each
   * of them waits for a provider that is one of them too, so following, from any of them, its
   * first such provider must come back to a component already seen. That component starts a
   * cycle, which is then rotated to start at its member declared first.
   */
  private static List<Integer> cycle(List<List<Integer>> providersOf, int[] waitingFor) {
    int at = 0;
    while (waitingFor[at] == 0) {
      at++;
    }
    final List<Integer> walk = new ArrayList<>();
    while (!walk.contains(at)) {
      walk.add(at);
      at = firstUnordered(providersOf.get(at), waitingFor);
    }
    final List<Integer> loop = new ArrayList<>(walk.subList(walk.indexOf(at), walk.size()));
    final int first = loop.indexOf(loop.stream().min(Integer::compare).orElseThrow());
    final List<Integer> cycle = new ArrayList<>(loop.subList(first, loop.size()));
    cycle.addAll(loop.subList(0, first));
    cycle.add(cycle.getFirst());
    return cycle;
  }

  private static int firstUnordered(List<Integer> providers, int[] waitingFor) {
    for (int provider : providers) {
      if (waitingFor[provider] > 0) {
        return provider;
      }
    }
    throw new IllegalStateException("a component left unordered has no unordered provider");
  }
}
