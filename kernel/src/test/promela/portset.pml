/*
 * portset.pml: the open receive of a thread that has ports in two tables (protocol.md 5.7,
 * PortSet), against a sender in each table.
 *
 *   thread 0  R: two open receives (waitAny) over tables T0 and T1; the first claimable in T0,
 *             the second in the table its first message came from (ThreadEngine.receiveOpenSlow)
 *   thread 1  A: one send to R in T0
 *   thread 2  B: one send to R in T1
 *
 * R publishes RECEIVING in its primary table and POLLING in the other; a sender claims only a
 * RECEIVING port, so B (and A, while R polls) queues and wakes R's poller (wakePollers). R takes
 * a queued sender only after making its primary unclaimable. R sleeps with futex_waitv on both
 * SLEEPING words. Same conventions as rendezvous.pml: one step per shared access, no sleep slice,
 * so a lost wake-up or a lost message is an invalid end state. No timeouts, aborts or deaths
 * here: rendezvous.pml checks those in one table, and the several-table wait runs the same
 * checks (docs/model.md).
 *
 * Mutations:
 *   BUG_NO_POLLER_WAKE   a sender that queued does not wake the sleeping POLLING receiver
 *   BUG_BOTH_CLAIMABLE   R publishes RECEIVING in both tables
 *   BUG_TAKE_CLAIMABLE   R takes a queued sender without first making its primary unclaimable
 */

#include "common.pml"

#define N 3
#define R 0
#define T 2                      /* tables */
#define IX(tb, t) ((tb) * N + (t))

/* per table, per thread: the TCB fields used here */
byte state[T * N];
byte mr[T * N];
byte sender[T * N];
byte status[T * N];
bit sleeping[T * N];

/* R's receive point in each table */
byte lock[T];
byte length[T];
byte qt[T];                      /* the queued sender (each table has one sender), NONE if none */

bit fwaiting[N];                 /* blocked in FUTEX_WAIT / futex_waitv */

/* ghosts */
byte delivered[N];
byte consumed[N];
bit finished[N];
byte copier[T * N];

/* ---- shared helpers ------------------------------------------------------------------------ */

inline lock_rp(tb) {
  atomic { lock[tb] == 0 -> lock[tb] = ID(me) }
}

inline unlock_rp(tb) {
  lock[tb] = 0
}

inline wake_if_sleeping(x, t) {
  if
  :: sleeping[x] != 0 -> sleeping[x] = 0; fwaiting[t] = 0
  :: else
  fi
}

/* ---- a sender in table tb (Rendezvous.sendPhase, sendSlow, wakePollers; PortWait) ----------- */

proctype Sender(byte me; byte tb) {
  byte epoch, expect, st, observed, claimedEp, res;
  bit ok, park;

  atomic { st = state[IX(tb, me)]; epoch = EP(st) + 1; expect = st; st = 0; res = WAITING; mr[IX(tb, me)] = me }
  /* fast path: LENGTH == 0 and R RECEIVING here */
  if
  :: length[tb] == 0 ->
     atomic { st = state[IX(tb, R)] }
     if
     :: CODE(st) == RECEIVING ->
        atomic {
          cas_state(IX(tb, R), st, ST(EP(st), CLAIMED), ok);
          if
          :: ok -> claimedEp = EP(st); copier[IX(tb, R)] = me
          :: else
          fi
        }
     :: else -> ok = 0
     fi;
     st = 0
  :: else -> ok = 0
  fi;
  if
  :: !ok ->                                                      /* sendSlow */
     lock_rp(tb);
     length[tb]++;
     atomic { st = state[IX(tb, R)] }
     if
     :: CODE(st) == RECEIVING ->
        atomic {
          cas_state(IX(tb, R), st, ST(EP(st), CLAIMED), ok);
          if
          :: ok -> claimedEp = EP(st); copier[IX(tb, R)] = me
          :: else
          fi
        }
     :: else -> ok = 0
     fi;
     st = 0;
     if
     :: ok -> length[tb]--; unlock_rp(tb)
     :: else ->
        qt[tb] = me;                                              /* link */
        atomic {
          if
          :: state[IX(tb, me)] == expect -> state[IX(tb, me)] = ST(epoch, SENDING); expect = ST(epoch, SENDING)
          :: else -> assert(false)
          fi
        }
        unlock_rp(tb);
#ifndef BUG_NO_POLLER_WAKE
        if                                                         /* wakePollers */
        :: CODE(state[IX(tb, R)]) == POLLING -> wake_if_sleeping(IX(tb, R), R)
        :: else
        fi;
#endif
        res = QUEUED
     fi
  :: else
  fi;
  if
  :: res != QUEUED ->                                             /* deliver */
     d_step { mr[IX(tb, R)] = me; sender[IX(tb, R)] = ID(me); status[IX(tb, R)] = OK }
     atomic {
       cas_state(IX(tb, R), ST(claimedEp, CLAIMED), ST(claimedEp, DELIVERED), ok);
       assert(ok);                                                /* nobody gives a claim up here */
       assert(delivered[me] == 0); delivered[me] = 1; copier[IX(tb, R)] = NONE
     }
     wake_if_sleeping(IX(tb, R), R);
     res = OK
  :: else ->                                                      /* await, BLOCK strategy */
     do
     :: atomic {
          observed = state[IX(tb, me)];
          if
          :: CODE(observed) == DONE -> res = status[IX(tb, me)]
          :: else
          fi
        }
        if
        :: res != QUEUED -> break
        :: else ->
           sleeping[IX(tb, me)] = 1;
           atomic { park = (state[IX(tb, me)] == observed) }
           if
           :: park ->
              atomic { if :: sleeping[IX(tb, me)] == 1 -> fwaiting[me] = 1 :: else fi };   /* FUTEX_WAIT */
              fwaiting[me] == 0
           :: else
           fi;
           atomic { sleeping[IX(tb, me)] = 0; park = 0 }
        fi
     od
  fi;
  assert(res == OK && delivered[me] == 1);
  finished[me] = 1
}

/* ---- the receiver over both tables (PortSet) -------------------------------------------------- */

/* CAS our own port in table tb from (epochs[tb], from) to (epochs[tb], to) */
inline cas_own_in(tb, from, to, ok) {
  cas_state(IX(tb, R), ST(epochs[tb], from), ST(epochs[tb], to), ok)
}

/* leave every table except keep: (e, code) -> (e, IDLE) */
inline retract(keep) {
  i = 0;
  do
  :: i < T ->
     if
     :: i != keep ->
        code = (i == primary -> primaryCode : POLLING);
        cas_own_in(i, code, IDLE, ok);
        assert(ok)
     :: else
     fi;
     i++
  :: else -> break
  od
}

/* make the primary unclaimable; ok = 0 if a sender claimed it first */
inline unclaimable() {
  if
  :: primaryCode == POLLING -> ok = 1
  :: else ->
     cas_own_in(primary, RECEIVING, POLLING, ok);
     if
     :: ok -> primaryCode = POLLING
     :: else -> assert(CODE(state[IX(primary, R)]) == CLAIMED || CODE(state[IX(primary, R)]) == DELIVERED)
     fi
  fi
}

inline claimable() {
  if
  :: primaryCode == RECEIVING
  :: else ->
     cas_own_in(primary, POLLING, RECEIVING, ok);
     assert(ok);
     primaryCode = RECEIVING
  fi
}

/* Rendezvous.takeQueued in table tb: res = OK (taken), NO_PARTNER, or NOTHING (lock busy) */
inline take_queued(tb) {
  if
  :: atomic { lock[tb] == 0 -> lock[tb] = ID(me) } ->
     t = qt[tb];
     if
     :: t != NONE ->
        atomic { st = state[IX(tb, t)] }
        if
        :: CODE(st) == SENDING ->
           atomic {
             cas_state(IX(tb, t), st, ST(EP(st), TAKEN), ok);
             assert(ok);                                            /* only R takes, under the lock */
             copier[IX(tb, t)] = me
           }
           d_step { qt[tb] = NONE; length[tb]-- };                  /* unlink */
           unlock_rp(tb);
           /* transferFrom */
           d_step { e = EP(st); st = 0; mr[IX(tb, R)] = mr[IX(tb, t)]; sender[IX(tb, R)] = ID(t); status[IX(tb, t)] = OK }
           atomic {
             cas_state(IX(tb, t), ST(e, TAKEN), ST(e, DONE), ok);
             assert(ok);
             assert(delivered[t] == 0); delivered[t] = 1; copier[IX(tb, t)] = NONE
           }
           wake_if_sleeping(IX(tb, t), t);
           res = OK
        :: else -> st = 0; unlock_rp(tb); res = NO_PARTNER          /* linked, not yet SENDING */
        fi
     :: else -> unlock_rp(tb); res = NO_PARTNER
     fi
  :: lock[tb] != 0 -> res = NOTHING                                 /* LOCK_BUSY: come back */
  fi
}

/* one open receive over both tables, claimable in table primary; leaves OK and the table it
   served in served */
inline receive_over_both() {
  /* publish, primary first */
  n = 0;
  do
  :: n < T ->
     i = (primary + n) % T;
     atomic { st = state[IX(i, R)]; epochs[i] = EP(st) + 1 }
#ifndef BUG_BOTH_CLAIMABLE
     code = (i == primary -> RECEIVING : POLLING);
#else
     code = RECEIVING;
#endif
     cas_state(IX(i, R), st, ST(epochs[i], code), ok);
     assert(ok);
     st = 0;
     n++
  :: else -> break
  od;
  primaryCode = RECEIVING;
  res = WAITING;
  do
  :: /* poll */
     atomic { st = state[IX(primary, R)] }
     if
     :: st == ST(epochs[primary], DELIVERED) ->
        atomic { res = status[IX(primary, R)]; st = 0 }
        retract(primary);
        served = primary;
        break
     :: st == ST(epochs[primary], CLAIMED) -> st = 0                /* its delivery comes */
     :: else ->
        st = 0;
        n = 0;
        do
        :: n < T ->
           i = (next + n) % T;
           if
           :: length[i] != 0 ->
#ifndef BUG_TAKE_CLAIMABLE
              unclaimable();
#else
              ok = 1;
#endif
              if
              :: !ok -> break                                       /* claimed: wait for it */
              :: else ->
                 take_queued(i);
                 if
                 :: res == OK ->
                    served = i;
                    retract(NONE);
                    break
                 :: else ->
                    res = WAITING;
                    claimable()
                 fi
              fi
           :: else
           fi;
           n++
        :: else -> break
        od;
        if
        :: res == OK -> break
        :: else
        fi;
        /* sleep: announce in every table, re-check, futex_waitv */
        sleeping[IX(0, R)] = 1;
        sleeping[IX(1, R)] = 1;
        i = 0;
        park = 1;
        do
        :: park && i < T ->
           code = (i == primary -> primaryCode : POLLING);
           atomic { park = (state[IX(i, R)] == ST(epochs[i], code)) }
           if :: park -> atomic { park = (length[i] == 0) } :: else fi;
           i++
        :: else -> break
        od;
        i = 0; code = 0;
        if
        :: park ->
           atomic {                                             /* futex_waitv: returns at once if a word changed */
             if
             :: sleeping[IX(0, R)] == 1 && sleeping[IX(1, R)] == 1 -> fwaiting[R] = 1
             :: else
             fi
           }
           fwaiting[R] == 0
        :: else
        fi;
        atomic { sleeping[IX(0, R)] = 0; park = 0 };
        sleeping[IX(1, R)] = 0
     fi
  od;
  next = served + 1;
  i = 0; n = 0
}

proctype Receiver() {
  byte me = R;
  byte st, res, i, n, t, e, served, next, primary, primaryCode, rounds, m, code;
  byte epochs[T];
  bit ok, park;

  primary = 0;
  rounds = 0;
  do
  :: rounds == 2 -> break
  :: rounds < 2 ->
     receive_over_both();
     assert(res == OK);
     m = mr[IX(served, R)];
     assert(m >= 1 && m < N && sender[IX(served, R)] == ID(m));
     assert(delivered[m] == 1 && consumed[m] == 0);
     consumed[m] = 1;
     primary = served;                          /* claimable where the last message came from */
     rounds++
  od;
  finished[R] = 1
}

init {
  byte t;
  atomic {
    t = 0;
    do
    :: t < T * N -> state[t] = ST(1, IDLE); copier[t] = NONE; t++
    :: else -> break
    od;
    qt[0] = NONE;
    qt[1] = NONE;
    run Receiver();
    run Sender(1, 0);
    run Sender(2, 1)
  }
}
