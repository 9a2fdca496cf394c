/*
 * floor_spin.c: the spin floor. Two processes ping-pong two cache lines
 * (see floor_common.h); both sides busy-wait with the CPU's pause hint. This
 * is the cheapest cross-process round trip the machine offers: what any
 * spinning IPC mechanism is compared against.
 */
#include "floor_common.h"

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

/* Read the clock (and the child's status) only every so many pauses:
 * nothing extra while the answer is near. */
#define CHECK_EVERY 4096

static int pong(char *page, long total) {
  int64_t *ping = (int64_t *)(page + PING_OFFSET);
  int64_t *pong_word = (int64_t *)(page + PONG_OFFSET);
  for (int64_t seq = 1; seq <= total; seq++) {
    uint64_t since = 0;
    for (unsigned spins = 1; __atomic_load_n(ping, __ATOMIC_ACQUIRE) != seq; spins++) {
      cpu_relax();
      if (spins % CHECK_EVERY == 0) {
        uint64_t t = now_ns();
        if (since == 0) since = t;
        else if (t - since > STALL_NS) return 3; /* the parent is gone or stuck */
      }
    }
    __atomic_store_n(pong_word, seq, __ATOMIC_RELEASE);
  }
  return 0;
}

int main(int argc, char **argv) {
  struct floor_args a = parse_args(argc, argv, "floor_spin");
  /* Dies with the JVM; if the JVM is already gone, the wall-clock limit ends us. */
  die_with_parent(getppid());
  char *page = map_shared_page();
  int64_t *ping = (int64_t *)(page + PING_OFFSET);
  int64_t *pong_word = (int64_t *)(page + PONG_OFFSET);
  int64_t *rtts = alloc_results(a.iterations);
  long total = a.warmup + a.iterations;
  fork_partner(page, total, pong);

  uint64_t deadline = now_ns() + a.limit_ns;
  for (int64_t seq = 1; seq <= total; seq++) {
    uint64_t t0 = now_ns();
    __atomic_store_n(ping, seq, __ATOMIC_RELEASE);
    for (unsigned spins = 1; __atomic_load_n(pong_word, __ATOMIC_ACQUIRE) != seq; spins++) {
      cpu_relax();
      if (spins % CHECK_EVERY == 0) check_partner(t0, deadline, seq);
    }
    uint64_t t1 = now_ns();
    if (seq > a.warmup) rtts[seq - a.warmup - 1] = (int64_t)(t1 - t0);
  }
  reap_partner();
  write_results(a.out_path, rtts, a.iterations);
  return 0;
}
