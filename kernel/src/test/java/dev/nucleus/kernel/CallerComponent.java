package dev.nucleus.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A process-space client for tests: {@code target threads calls} (target as a hex id). Each of
 * {@code threads} IPC threads makes {@code calls} calls to the target, every request unique
 * (MR1 = thread << 32 | sequence number, MR2 random), and checks that each reply is the request
 * answered the way {@link EchoComponent} answers: same label, MR1 + 1, MR2 unchanged. Returns
 * normally (exit code 0) only if every call succeeded and every reply was right; the first wrong
 * one fails the component (exit code 1) with a message saying which.
 */
public final class CallerComponent implements ProcessComponent {

  static final long LABEL = 0xCA11;

  @Override
  public void run(ProcessContext context) throws Exception {
    final long target = Long.parseUnsignedLong(context.args().get(0), 16);
    final int threads = Integer.parseInt(context.args().get(1));
    final int calls = Integer.parseInt(context.args().get(2));
    final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      final long thread = t;
      running.add(Thread.ofPlatform().start(() -> {
        try (IpcThread self = context.space().attach("caller-" + thread)) {
          final SplittableRandom random = new SplittableRandom(context.space().number() * 1000L + thread);
          for (long n = 0; n < calls; n++) {
            final long word1 = thread << 32 | n;
            final long word2 = random.nextLong();
            self.setTag(MessageTag.of(LABEL, 2));
            self.setMr(1, word1);
            self.setMr(2, word2);
            final int status = self.call(target, Timeout.relative(java.time.Duration.ofSeconds(30)),
                Timeout.relative(java.time.Duration.ofSeconds(30)));
            if (status != Status.OK) {
              failures.add("call " + thread + "/" + n + ": " + Status.toString(status));
              return;
            }
            if (MessageTag.label(self.tag()) != LABEL || self.mr(1) != word1 + 1 || self.mr(2) != word2) {
              failures.add("call " + thread + "/" + n + ": wrong reply label " + MessageTag.label(self.tag())
                  + " MR1 " + self.mr(1) + " MR2 " + self.mr(2));
              return;
            }
          }
        }
      }));
    }
    for (Thread t : running) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("caller: " + failures);
    }
  }
}
