/*
 * floor_futex.c: the blocking floor. Two processes ping-pong two cache lines
 * (see floor_common.h), and every wait is a FUTEX_WAIT on the partner's
 * counter: no spinning at all. Each side publishes its counter first and only
 * then calls FUTEX_WAKE, so a waiter that checked the old value in the kernel
 * is either woken or sees the new value (FUTEX_WAIT fails with EAGAIN).
 * The ops are the shared ones: FUTEX_PRIVATE_FLAG does not wake across
 * processes. This is what a pure blocking IPC round trip costs: two wake-ups.
 */
#include "floor_common.h"
#include <linux/futex.h>
#include <sys/syscall.h>

/* Sleep at most this long per FUTEX_WAIT, so the bounds are checked even if no wake comes. */
static const struct timespec WAIT_SLICE = {0, 50 * 1000 * 1000};

static long futex(uint32_t *word, int op, uint32_t val, const struct timespec *timeout) {
  return syscall(SYS_futex, word, op, val, timeout, NULL, 0);
}

static int pong(char *page, long total) {
  uint32_t *ping = (uint32_t *)(page + PING_OFFSET);
  uint32_t *pong_word = (uint32_t *)(page + PONG_OFFSET);
  for (long i = 1; i <= total; i++) {
    uint32_t seq = (uint32_t)i;
    uint64_t since = 0;
    uint32_t seen;
    while ((seen = __atomic_load_n(ping, __ATOMIC_ACQUIRE)) != seq) {
      if (futex(ping, FUTEX_WAIT, seen, &WAIT_SLICE) == -1 && errno == ETIMEDOUT) {
        uint64_t t = now_ns();
        if (since == 0) since = t;
        else if (t - since > STALL_NS) return 3; /* the parent is gone or stuck */
      }
    }
    __atomic_store_n(pong_word, seq, __ATOMIC_RELEASE);
    futex(pong_word, FUTEX_WAKE, 1, NULL);
  }
  return 0;
}

int main(int argc, char **argv) {
  struct floor_args a = parse_args(argc, argv, "floor_futex");
  /* Dies with the JVM; if the JVM is already gone, the wall-clock limit ends us. */
  die_with_parent(getppid());
  char *page = map_shared_page();
  uint32_t *ping = (uint32_t *)(page + PING_OFFSET);
  uint32_t *pong_word = (uint32_t *)(page + PONG_OFFSET);
  int64_t *rtts = alloc_results(a.iterations);
  long total = a.warmup + a.iterations;
  fork_partner(page, total, pong);

  uint64_t deadline = now_ns() + a.limit_ns;
  for (long i = 1; i <= total; i++) {
    uint32_t seq = (uint32_t)i;
    uint64_t t0 = now_ns();
    __atomic_store_n(ping, seq, __ATOMIC_RELEASE);
    futex(ping, FUTEX_WAKE, 1, NULL);
    uint32_t seen;
    while ((seen = __atomic_load_n(pong_word, __ATOMIC_ACQUIRE)) != seq) {
      if (futex(pong_word, FUTEX_WAIT, seen, &WAIT_SLICE) == -1 && errno == ETIMEDOUT) {
        check_partner(t0, deadline, i);
      }
    }
    uint64_t t1 = now_ns();
    if (i > a.warmup) rtts[i - a.warmup - 1] = (int64_t)(t1 - t0);
  }
  reap_partner();
  write_results(a.out_path, rtts, a.iterations);
  return 0;
}
