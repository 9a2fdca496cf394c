/*
 * floor_common.h: what the two C floor programs (floor_spin.c, floor_futex.c)
 * share: argument parsing, the shared mapping, the partner process, bounds,
 * and writing the results.
 *
 * Overview. The parent ("pinger") and a forked child ("ponger") share one
 * anonymous MAP_SHARED page. Each side writes only its own counter, and the
 * two counters sit on separate 64-byte cache lines, so a round trip moves
 * exactly two lines: ping to the child, pong back. The parent times every
 * round trip with clock_gettime(CLOCK_MONOTONIC) (vDSO, ~20 ns, the same
 * order as Java's System.nanoTime) and, after warmup, keeps the result in a
 * pre-faulted buffer that is written out once at the end as little-endian
 * int64 nanoseconds.
 *
 * Bounds, because a spinning pair owns both vCPUs of the bench machine and a
 * lost peer must never hang anything:
 *   - the child dies with the parent (PR_SET_PDEATHSIG) and gives up when the
 *     parent has not pinged for STALL_NS;
 *   - the parent gives up when the child has not answered for STALL_NS, when
 *     the child has exited, or when the whole run passes its wall-clock limit;
 *   - the parent dies with the JVM that started it (PR_SET_PDEATHSIG).
 *
 * Usage: <program> WARMUP ITERATIONS OUTFILE [LIMIT_SECONDS]  (default 60)
 * Exit status: 0 on success, 1 on error (message on stderr), 2 on bad usage.
 */
#ifndef NUCLEUS_FLOOR_COMMON_H
#define NUCLEUS_FLOOR_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CACHE_LINE 64
/* Offsets in the shared page: the parent writes PING, the child writes PONG. */
#define PING_OFFSET 0
#define PONG_OFFSET CACHE_LINE
/* A peer that has not moved for this long is lost (a round trip is ~0.2-50 us). */
#define STALL_NS (5ull * 1000 * 1000 * 1000)

struct floor_args {
  long warmup;
  long iterations;
  const char *out_path;
  uint64_t limit_ns;
};

static const char *floor_name = "floor";
static pid_t floor_child = -1;

static inline uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Reports an error and exits; the parent takes its child with it. */
static void die(const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "%s: ", floor_name);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  if (floor_child > 0) {
    kill(floor_child, SIGKILL);
    waitpid(floor_child, NULL, 0);
  }
  exit(1);
}

static long parse_count(const char *s, const char *what) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno != 0 || *end != '\0' || v < 0) {
    fprintf(stderr, "%s: bad %s '%s'\n", floor_name, what, s);
    exit(2);
  }
  return v;
}

static struct floor_args parse_args(int argc, char **argv, const char *name) {
  floor_name = name;
  if (argc != 4 && argc != 5) {
    fprintf(stderr, "usage: %s WARMUP ITERATIONS OUTFILE [LIMIT_SECONDS]\n", name);
    exit(2);
  }
  struct floor_args a;
  a.warmup = parse_count(argv[1], "warmup");
  a.iterations = parse_count(argv[2], "iterations");
  a.out_path = argv[3];
  long limit_s = argc == 5 ? parse_count(argv[4], "limit") : 60;
  if (a.iterations < 1 || limit_s < 1) {
    fprintf(stderr, "%s: iterations and limit must be >= 1\n", name);
    exit(2);
  }
  a.limit_ns = (uint64_t)limit_s * 1000000000ull;
  return a;
}

/* One page, MAP_SHARED so that the forked child sees the same memory.
 * Page-aligned, hence cache-line-aligned. */
static char *map_shared_page(void) {
  void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) die("mmap: %s", strerror(errno));
  return (char *)p;
}

/* Dies with our parent. Prctl is racy against a parent that already exited,
 * hence the check of the parent id afterwards. */
static void die_with_parent(pid_t expected_parent) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die("prctl: %s", strerror(errno));
  if (getppid() != expected_parent) exit(1);
}

/* Forks the ponger; it runs partner(page, total) and exits with its result. */
static void fork_partner(char *page, long total, int (*partner)(char *, long)) {
  fflush(NULL);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) die("fork: %s", strerror(errno));
  if (pid == 0) {
    floor_child = -1;
    die_with_parent(parent);
    _exit(partner(page, total));
  }
  floor_child = pid;
}

/* Called by the parent only when a wait lasts long: fails on a dead child,
 * a stall or the overall wall-clock limit. */
static void check_partner(uint64_t waiting_since, uint64_t deadline, long round) {
  int status;
  pid_t r = waitpid(floor_child, &status, WNOHANG);
  if (r == floor_child) {
    floor_child = -1;
    die("partner exited (status %d) during round trip %ld", status, round);
  }
  uint64_t t = now_ns();
  if (t - waiting_since > STALL_NS) {
    die("partner did not answer within 5 s (round trip %ld)", round);
  }
  if (t > deadline) die("wall-clock limit exceeded at round trip %ld", round);
}

/* Waits for the child after the last round trip; a non-zero exit is an error. */
static void reap_partner(void) {
  int status;
  if (waitpid(floor_child, &status, 0) != floor_child) die("waitpid: %s", strerror(errno));
  floor_child = -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) die("partner failed (status %d)", status);
}

/* A pre-faulted buffer, so that page faults do not land between measured round trips. */
static int64_t *alloc_results(long n) {
  int64_t *buf = malloc((size_t)n * sizeof(int64_t));
  if (buf == NULL) die("cannot allocate %ld results", n);
  memset(buf, 0, (size_t)n * sizeof(int64_t));
  return buf;
}

static void write_results(const char *path, int64_t *rtts, long n) {
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
  for (long i = 0; i < n; i++) rtts[i] = (int64_t)__builtin_bswap64((uint64_t)rtts[i]);
#endif
  FILE *f = fopen(path, "wb");
  if (f == NULL) die("cannot open %s: %s", path, strerror(errno));
  if (fwrite(rtts, sizeof(int64_t), (size_t)n, f) != (size_t)n) die("cannot write %s", path);
  if (fclose(f) != 0) die("cannot close %s: %s", path, strerror(errno));
}

#endif
