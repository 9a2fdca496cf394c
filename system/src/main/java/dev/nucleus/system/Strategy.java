package dev.nucleus.system;

/**
 * What a group's supervisor restarts when one of its components must be restarted (Erlang/OTP's
 * supervisor strategies): the descriptor's {@code strategy} key. A group's components are ordered
 * in start order.
 */
public enum Strategy {
  /** Only the component that ended ({@code "one_for_one"}, the default). */
  ONE_FOR_ONE,
  /**
   * Every component of the group: stopped in reverse start order, then started again in start
   * order ({@code "one_for_all"}).
   */
  ONE_FOR_ALL,
  /**
   * The component that ended and every component of the group started after it
   * ({@code "rest_for_one"}).
   */
  REST_FOR_ONE
}
