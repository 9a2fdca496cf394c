package dev.nucleus.system;

/** When the supervisor restarts a component that ended: the descriptor's {@code restart} key. */
public enum RestartPolicy {
  /** Always restarted, whether it returned or crashed ({@code "permanent"}, the default). */
  PERMANENT,
  /** Restarted only after a crash; a normal return ends it for good ({@code "transient"}). */
  TRANSIENT,
  /** Never restarted ({@code "temporary"}). */
  TEMPORARY
}
