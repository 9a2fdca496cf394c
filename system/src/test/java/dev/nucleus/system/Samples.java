package dev.nucleus.system;

/**
 * Classes that test descriptors name as component classes: good ones, and one of each kind of
 * class the root task cannot make a component of.
 */
public final class Samples {

  private Samples() {}

  /** A component that does nothing: the good case. */
  public static final class Noop implements Component {
    /** Makes one. */
    public Noop() {}

    @Override
    public void run(ComponentContext context) {}
  }

  /** Not a component at all. */
  public static final class NotAComponent {
    /** Makes one. */
    public NotAComponent() {}
  }

  /** A component class that is not public. */
  static final class Hidden implements Component {
    @Override
    public void run(ComponentContext context) {}
  }

  /** A component class that cannot be instantiated. */
  public abstract static class Abstract implements Component {
    /** For subclasses. */
    protected Abstract() {}
  }

  /** A component class without a no-argument constructor. */
  public static final class NeedsArgument implements Component {
    /**
     * Makes one.
     *
     * @param size anything
     */
    public NeedsArgument(int size) {}

    @Override
    public void run(ComponentContext context) {}
  }

  /** A component class whose no-argument constructor is not public. */
  public static final class PrivateConstructor implements Component {
    private PrivateConstructor() {}

    @Override
    public void run(ComponentContext context) {}
  }

  /** An inner (non-static) component class: its constructor takes the enclosing instance. */
  public final class Inner implements Component {
    /** Makes one. */
    public Inner() {}

    @Override
    public void run(ComponentContext context) {}
  }
}
