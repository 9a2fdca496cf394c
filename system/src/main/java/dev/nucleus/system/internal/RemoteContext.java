package dev.nucleus.system.internal;

import dev.nucleus.kernel.ProcessContext;
import dev.nucleus.kernel.ThreadId;
import dev.nucleus.rpc.Deadlines;
import dev.nucleus.rpc.NotPermittedException;
import dev.nucleus.rpc.RpcServer;
import dev.nucleus.rpc.ServerLocator;
import java.util.List;

/**
 * The context of a component in a process space: exports are published to the root through the
 * process's link ({@code svc.<name>}), and imports are found by asking the root's {@link Names}
 * server in the component's gate.
 */
final class RemoteContext extends BaseContext {

  /** The prefix of the names exports are published under. */
  static final String EXPORT_PREFIX = "svc.";
  /** The name the driver inbox's id is published under. */
  static final String DRIVERS = "nucleus.drivers";

  private final ProcessContext process;
  private final Names names;

  RemoteContext(ProcessContext process, Names names, String name, List<String> args, int serverThreads,
      List<String> provides, List<String> imports, List<String> drivers) {
    super(name, args, process.space(), serverThreads, provides, imports, drivers);
    this.process = process;
    this.names = names;
  }

  @Override
  void exported(String service, RpcServer server) {
    process.publish(EXPORT_PREFIX + service, server.id());
  }

  @Override
  ServerLocator locator(String service) {
    return new ServerLocator() {
      @Override
      public long server() {
        return resolve(service, 0);
      }

      @Override
      public long awaitServer(long failed, long deadline) {
        final long left = Deadlines.remainingNanos(deadline);
        return left == 0 ? ThreadId.NIL : resolve(service, left);
      }
    };
  }

  @Override
  long deaths(String service, long seen, long waitNanos) {
    return granted(service, names.deaths(service, seen, waitNanos));
  }

  private long resolve(String service, long waitNanos) {
    return granted(service, names.resolve(service, waitNanos));
  }

  /** {@code answer} from the root's Names server, unless it is its refusal of {@code service}. */
  private long granted(String service, long answer) {
    if (answer == Names.NOT_IMPORTED) {
      throw new NotPermittedException("the root refuses component " + name() + " the service '" + service + "'");
    }
    return answer;
  }
}
