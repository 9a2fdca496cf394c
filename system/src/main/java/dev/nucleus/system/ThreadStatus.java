package dev.nucleus.system;

import dev.nucleus.system.internal.StatusLayout;
import java.util.Objects;

/**
 * One IPC thread of a component and what it is doing, as {@link dev.nucleus.kernel.IpcState}
 * reported it when the snapshot was taken.
 *
 * @param id the thread's id ({@link dev.nucleus.kernel.ThreadId})
 * @param name the thread's name
 * @param kind {@link dev.nucleus.kernel.IpcState.Kind}'s name in lower case: {@code "idle"},
 *     {@code "sending"}, {@code "receiving"}, {@code "waiting_for_reply"}, {@code
 *     "waiting_for_notification"}, {@code "transferring"} or {@code "dead"}
 * @param partner {@code ""} when there is none, {@code "any"} for an open receive, else the
 *     partner as {@code "component/thread-name"} or an id's text
 */
public record ThreadStatus(long id, String name, String kind, String partner) {

  /**
   * Checks the fields.
   *
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException if {@code kind} is not one of the values above
   */
  public ThreadStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(partner, "partner");
    if (!StatusLayout.KINDS.contains(kind)) {
      throw new IllegalArgumentException("kind is '" + kind + "', expected one of " + StatusLayout.KINDS);
    }
  }

  /**
   * What the thread is doing, in words: {@code idle}; {@code sending to X}; {@code receiving from
   * X} (or {@code from any}); {@code waiting for a reply from X}; {@code waiting for a
   * notification}; {@code transferring}; {@code dead}. A partner that is not known reads {@code
   * ?}.
   *
   * @return the state in words
   */
  public String describe() {
    final String who = partner.isEmpty() ? "?" : partner;
    return switch (kind) {
      case "sending" -> "sending to " + who;
      case "receiving" -> "receiving from " + (partner.isEmpty() ? "any" : partner);
      case "waiting_for_reply" -> "waiting for a reply from " + who;
      case "waiting_for_notification" -> "waiting for a notification";
      default -> kind;
    };
  }
}
