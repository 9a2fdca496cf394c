/*
 * rendezvous.pml: the rendezvous of one port table (protocol.md 4, 5.1-5.4, 5.6), as the engine
 * runs it (Rendezvous, PortWait, WaitLoop, SenderQueue, PortLifecycle, FutexSleeper).
 *
 *   thread 0  S, a server: waitAny, then replyWait after each call (or waitAny after a send),
 *             until it is aborted (by the closer, once nothing can be pending for it) or ends
 *   thread 1  C1, a client: C1_OPS sends to S (default 1; 0: no C1)
 *   thread 2  C2, a client: C2_OPS calls to S (default 1; sends if C2_CALL is 0; 0: no C2)
 *
 * Every shared access of the engine is one step here (sequential consistency: the Dekker pairs of
 * protocol.md use sequentially consistent accesses). Sleeping is the futex protocol: SLEEPING := 1,
 * re-check, FUTEX_WAIT(&SLEEPING, 1), which returns at once if the word is no longer 1; the waker
 * publishes, reads SLEEPING, and if set stores 0 and FUTEX_WAKEs. There is no 50 ms slice: a
 * sleeper returns only when woken or, if its phase has a deadline, when the deadline passes, so a
 * lost wake-up shows as a thread blocked for ever: an invalid end state.
 *
 * Scenarios (-D at `spin -a`):
 *   TIMEOUTS      the clients' phases have deadlines, which may pass at any check
 *   ABORT         a third party aborts C1 once, at any moment
 *   SRV_TIMEOUT   the server's receives have a deadline too
 *   KILL_SERVER   the kernel ends S (its space ends) at any moment
 *   KILL_CLIENT   the kernel ends C2 at any moment
 *   CRASH_CLIENT  C2's process dies at any moment (kill -9); the survivor does protocol.md 10.4
 *   NO_SLICE      no sleep ends by the 50 ms slice, not even after a death (finding 2, fixed:
 *                 the sleep's re-check reads the partner's OWNER)
 *   CHECK_DEAD_TERMINAL  assert that nobody moves a port out of DEAD (finding 1)
 * Mutations (each must make SPIN report an error; docs/model.md):
 *   BUG_NO_WAKE            deliver never wakes the receiver
 *   BUG_NO_RECHECK         the receiver does not re-read LENGTH after publishing RECEIVING
 *   BUG_ANNOUNCE_LATE      the sleeper re-checks before it announces SLEEPING
 *   BUG_WAKE_KEEPS_WORD    the waker does not store SLEEPING := 0 before FUTEX_WAKE
 *   BUG_NO_PARTNER_RECHECK the sleep's re-check does not read the partner's OWNER (finding 2 again)
 *   BUG_CLAIM_BY_STORE     the claim is a check then a store instead of one CAS
 *   BUG_WRONG_PHASE        a call that gives up waiting for its reply reports the SEND phase
 */

#include "common.pml"

/* The clients: C1 makes C1_OPS sends, C2 makes C2_OPS calls (sends if C2_CALL is 0) */
#ifndef C1_OPS
#define C1_OPS 1
#endif
#ifndef C2_OPS
#define C2_OPS 1
#endif
#ifndef C2_CALL
#define C2_CALL 1
#endif

#define N 3
#define S 0

/* TCBs (protocol.md 4.1) */
byte state[N];
byte mr[N];          /* MR0..: here one value standing for the whole message */
byte sender[N];      /* SENDER */
byte partner[N];     /* PARTNER */
byte reply_to[N];    /* REPLY_TO */
byte reply_ep[N];    /* REPLY_EPOCH */
byte status[N];      /* STATUS */
bit sleeping[N];     /* SLEEPING: the futex word */
byte abort_ep[N];    /* ABORT_EPOCH (0: none; epochs start at 1) */
bit call_flag[N];    /* FLAGS bit CALL */
bit linked[N];       /* LINKED_RP is S's point (the only point anyone queues at) */
byte owner[N];       /* OWNER of each thread's own receive point */

/* S's receive point (protocol.md 4.2): LOCK (holder's id, 0 free), LENGTH, the queue */
byte lock;
byte length;
byte q[2];
byte qn;

/* The futex wait queue: whether thread t is blocked in FUTEX_WAIT on its SLEEPING word */
bit fwaiting[N];
byte wakeby[N];      /* ghost: who stored SLEEPING := 0 for t and has not yet made its FUTEX_WAKE */

/* Privately known to each thread's process: its end (ThreadEngine.ended) */
bit ended[N];

/* Ghosts */
/* Message k of client c is MSG(c, k); the reply to request m is REPLY(m) */
#define MSG(c, k) ((c) * 2 + (k))
#define NM 6
#define REPLY(m) (16 + (m))
byte delivered[NM];  /* request m reached S (the CAS that publishes it won) */
byte consumed[NM];   /* a receive of S returned request m */
byte replied[NM];    /* the reply to request m reached its caller */
byte ndel, ncons;    /* how many requests reached S, how many S's receives returned */
byte result[N];      /* the status each client's IPC returned */
bit finished[N];     /* the thread's model code has ended */
bit crashed[N];      /* the thread's process has died */
byte copier[N];      /* who holds t's claim or take (CLAIMED, TAKEN), NONE otherwise */
bit srv_dead;        /* the kernel has ended S */
bit c2_dead;         /* the kernel has ended C2, or its process died */

#if defined(KILL_SERVER) || defined(KILL_CLIENT) || defined(CRASH_CLIENT)
#define ENDS 1
#else
#define ENDS 0
#endif

#ifdef ABORT
#define ABORT_ON 1
#else
#define ABORT_ON 0
#endif
/* Which threads can be aborted (S by the closer; C1 under ABORT): the sleep's re-read of
   ABORT_EPOCH, which can only find "nothing happened" for the others, is left out for them; that
   changes none of a scenario's behaviours and keeps its state space small */
#define MAY_ABORT (me == S || (ABORT_ON && me == 1))

/* OWNER of t's point no longer t: only a scenario that ends threads can make it so */
#define GONE(t) (ENDS && owner[t] != ID(t))

#define OWN_STATE_LOST (ended[me] -> CLOSED : PROTOCOL_ERROR)

/* ---- the receive point's lock and queue (SenderQueue) ---------------------------------- */

inline lock_rp() {
  atomic { lock == 0 -> lock = ID(me) }
}

inline unlock_rp() {
  lock = 0
}

/* link at the tail; LENGTH already counts t */
inline link(t) {
  d_step { q[qn] = t; qn++; linked[t] = 1 }
}

/* unlink t if it is linked; LENGTH -= 1 */
inline unlink(t) {
  d_step {
    if
    :: linked[t] ->
       if
       :: q[0] == t -> q[0] = q[1]
       :: else
       fi;
       q[1] = 0; qn--; linked[t] = 0; length--
    :: else
    fi
  }
}

/* ---- sleeping and waking (Sleeper, FutexSleeper) --------------------------------------- */

/* Rendezvous.wakeIfSleeping, then FutexSleeper.wake: if SLEEPING, store 0 and FUTEX_WAKE (the
   wake re-reads SLEEPING; reading it once here changes nothing: a 0 read means nobody to wake) */
inline wake_if_sleeping(t) {
  if
  :: sleeping[t] != 0 ->
#ifndef BUG_WAKE_KEEPS_WORD
     atomic { sleeping[t] = 0; wakeby[t] = ID(me) };
#endif
     atomic { fwaiting[t] = 0; wakeby[t] = 0 }
  :: else
  fi
}

/* How a sleep may end without a wake: the deadline of the phase it waits in (SENDING: the send
   deadline; WAIT_REPLY, RECEIVING: the receive deadline; CLAIMED, TAKEN, IDLE: none), or the
   50 ms slice once the partner has gone (S, for a client), or once a waker died between its
   SLEEPING := 0 and its FUTEX_WAKE: the protocol relies on the slice there (docs/model.md,
   findings 2 and 3). NO_SLICE drops it. */
#ifndef NO_SLICE
#define SLICE_SEES_DEATH ((me != S && owner[S] == NIL) \
                          || (wakeby[me] != 0 && wakeby[me] <= N && crashed[IDX(wakeby[me])]))
#else
#define SLICE_SEES_DEATH false
#endif

/* FUTEX_WAIT(&SLEEPING, 1): returns at once if the word is not 1; else blocks until woken or,
   with a deadline, until it passes */
inline futex_wait(timed) {
  atomic {
    if
    :: sleeping[me] == 1 -> fwaiting[me] = 1
    :: else
    fi
  }
  if
  :: fwaiting[me] == 0
  :: timed -> fwaiting[me] = 0
  :: SLICE_SEES_DEATH -> fwaiting[me] = 0
  fi
}

/* ---- the owner's own state (Rendezvous.casOwnState, ThreadEngine.begin) ---------------- */

inline cas_own(next, ok) {
  atomic {
    if
    :: state[me] == expect && CODE(expect) != DEAD -> DEAD_STAYS(expect); state[me] = next; expect = next; ok = 1
    :: else -> ok = 0   /* only the kernel moves a port out of DEAD (finding 1, fixed) */
    fi
  }
}

inline begin(res) {
  if
  :: ended[me] -> res = CLOSED
  :: else -> atomic {
       st = state[me];
       if
       :: CODE(st) == DEAD -> res = CLOSED      /* ended between the check and the read (finding 1, fixed) */
       :: else -> epoch = EP(st) + 1; expect = st; res = OK
       fi;
       st = 0
     }
  fi
}

/* ---- the wait (PortWait over WaitLoop) --------------------------------------------------- */

/* a deadline that may have passed, at any check (the model does not count time) */
#define DEADLINE(finite) (finite)

inline check_send() {
  reason = 0;
  if
  :: abort_ep[me] == EP(observed) -> reason = ABORTED
  :: else ->
     if
     :: DEADLINE(sendFinite) -> reason = TIMEOUT
     :: true
     fi
  fi;
  if
  :: reason == 0 && owner[IDX(partner[me])] != partner[me] -> reason = PEER_DEAD
  :: else
  fi;
  if
  :: reason != 0 ->
     lock_rp();
     cas_state(me, observed, ST(EP(observed), IDLE), ok);
     if
     :: ok -> unlink(me)
     :: else
     fi;
     unlock_rp();
     if
     :: ok -> res = reason | SENDP
     :: else
     fi
  :: else
  fi
}

inline check_receive() {
  reason = 0;
  if
  :: abort_ep[me] == EP(observed) -> reason = ABORTED
  :: else ->
     if
     :: DEADLINE(recvFinite) -> reason = TIMEOUT
     :: true
     fi
  fi;
  if
  :: reason == 0 ->
     /* partnerAlive: WAIT_REPLY: PARTNER's point; an open receive: our own point */
     if
     :: CODE(observed) == WAIT_REPLY ->
        if
        :: owner[IDX(partner[me])] != partner[me] -> reason = (ended[me] -> CLOSED : PEER_DEAD)
        :: else
        fi
     :: else ->
        if
        :: owner[me] != ID(me) -> reason = (ended[me] -> CLOSED : PEER_DEAD)
        :: else
        fi
     fi
  :: else
  fi;
  if
  :: reason != 0 ->
     cas_state(me, observed, ST(EP(observed), IDLE), ok);
     if
#ifndef BUG_WRONG_PHASE
     :: ok -> res = reason | RECVP
#else
     :: ok -> res = reason | (CODE(observed) == WAIT_REPLY -> SENDP : RECVP)
#endif
     :: else
     fi
  :: else
  fi
}

/* a copy into or out of us unfinished 100 ms past the deadline: given up. The model lets that
   happen only when the copier's process has died (a live copier finishes within microseconds:
   the engine's timing assumption, docs/model.md) */
inline check_stranded(finite, ph) {
  if
  :: finite && copier[me] != NONE && crashed[copier[me]] ->
     cas_state(me, observed, ST(EP(observed), IDLE), ok);
     if
     :: ok -> res = TIMEOUT | ph
     :: else
     fi
  :: else
  fi
}

inline check() {
  if
  :: CODE(observed) == SENDING -> check_send()
  :: CODE(observed) == WAIT_REPLY || CODE(observed) == RECEIVING -> check_receive()
  :: CODE(observed) == TAKEN -> check_stranded(sendFinite, SENDP)
  :: CODE(observed) == CLAIMED -> check_stranded(recvFinite, RECVP)
  :: CODE(observed) == IDLE -> fin = (phase == SENDP -> sendFinite : recvFinite); check_stranded(fin, phase)
  :: else
  fi
}

inline sleep() {
#ifndef BUG_ANNOUNCE_LATE
  sleeping[me] = 1;
  atomic { park = (state[me] == observed) }
  if
  :: park && MAY_ABORT -> atomic { park = (abort_ep[me] != epoch) }
  :: else
  fi;
#ifndef BUG_NO_PARTNER_RECHECK
  /* PortWait.partnerStillThere: a client's partner is S; its OWNER := NIL comes before the
     kernel's wakeAllSleepers, so this load and that store form a Dekker pair (finding 2, fixed) */
  if
  :: park && me != S -> atomic { park = (owner[S] != NIL) }
  :: else
  fi;
#endif
#else
  atomic { park = (state[me] == observed) }
  if
  :: park && MAY_ABORT -> atomic { park = (abort_ep[me] != epoch) }
  :: else
  fi;
  sleeping[me] = 1;
#endif
  if
  :: park ->
     atomic {
       if
       :: CODE(observed) == SENDING -> fin = sendFinite
       :: CODE(observed) == WAIT_REPLY || CODE(observed) == RECEIVING -> fin = recvFinite
       :: else -> fin = 0
       fi
     }
     futex_wait(fin)
  :: else
  fi;
  atomic { sleeping[me] = 0; park = 0; fin = 0 }
}

/* PortWait.await under the BLOCK strategy: poll; after every sleep, check; sleep. (SPIN and
   ADAPTIVE only leave sleeps out: a waiter that is not asleep needs no wake-up.) Leaves the
   outcome in res. */
inline await() {
  atomic { res = WAITING; mustCheck = 0 }
  do
  :: atomic {
       st = state[me];
       if
       :: CODE(st) == DELIVERED || CODE(st) == DONE -> res = status[me]
       :: CODE(st) == DEAD || CODE(st) == FREE -> res = OWN_STATE_LOST | phase
       :: else ->
          if
          :: CODE(st) == WAIT_REPLY || CODE(st) == RECEIVING -> phase = RECVP
          :: else
          fi;
          observed = st
       fi;
       st = 0
     }
     if
     :: res != WAITING -> break
     :: else ->
        if
        :: mustCheck -> check()
        :: else
        fi;
        atomic { reason = 0; ok = 0 }
        if
        :: res != WAITING -> break
        :: else -> sleep(); mustCheck = 1
        fi
     fi
  od;
  atomic { observed = 0; mustCheck = 0; reason = 0; ok = 0 }
}

/* ---- the send phase (Rendezvous.sendPhase, sendSlow, claimWaiter, deliver) ----------------- */

#define SKIP_ANSWERING 0
#define WAIT_ANSWERING 1

inline claim_waiter(mode) {
  r = NONE;
  st = state[S];
  if
  :: CODE(st) == ANSWERING && mode == WAIT_ANSWERING ->
     if
     :: atomic { state[S] != st -> st = state[S] }   /* it moved on */
     :: true                                        /* 1024 spins: gave up */
     fi
  :: else
  fi;
  /* WAIT_RP is S's point and PARTNER is ANY in every receive of S here */
  if
  :: CODE(st) == RECEIVING ->
#ifndef BUG_CLAIM_BY_STORE
     atomic {
       cas_state(S, st, ST(EP(st), CLAIMED), ok);
       if
       :: ok -> copier[S] = me
       :: else
       fi
     }
#else
     ok = (state[S] == st);
     if
     :: ok -> state[S] = ST(EP(st), CLAIMED); copier[S] = me
     :: else
     fi
#endif
     if
     :: ok -> claimedEp = EP(st); r = S
     :: else
     fi
  :: else
  fi;
  atomic { st = 0; ok = 0 }
}

inline deliver() {
  /* the copy into the claimed TCB: plain stores nobody reads before the release (STATUS is
     written after our WAIT_REPLY CAS in the engine; no one reads it before DELIVERED either) */
  d_step {
    mr[S] = mr[me]; sender[S] = ID(me); status[S] = OK;
    if
    :: isCall -> reply_to[S] = ID(me); reply_ep[S] = epoch; partner[me] = ID(S)
    :: else -> reply_to[S] = NIL
    fi
  }
  live = 1;
  if
  :: isCall -> cas_own(ST(epoch, WAIT_REPLY), live)
  :: else
  fi;
  atomic {
    cas_state(S, ST(claimedEp, CLAIMED), ST(claimedEp, DELIVERED), ok);
    if
    :: ok -> assert(delivered[mr[me]] == 0); delivered[mr[me]] = 1; ndel++; copier[S] = NONE
    :: else
    fi
  }
  if
  :: !ok ->
     if
     :: live && isCall -> cas_state(me, ST(epoch, WAIT_REPLY), ST(epoch, IDLE), ok2)
     :: else
     fi;
     res = NO_PARTNER | SENDP
  :: else ->
#ifndef BUG_NO_WAKE
     wake_if_sleeping(S);
#endif
     res = (live -> OK : OWN_STATE_LOST | RECVP)
  fi;
  atomic { ok = 0; ok2 = 0; live = 0 }
}

/* a send or a call to S, with the deadlines sendFinite and recvFinite (ThreadEngine.send, call) */
inline client_ipc() {
  begin(res);
  if
  :: res != OK -> res = res | SENDP
  :: else ->
     if
     :: GONE(S) -> res = STALE_ID | SENDP          /* resolve */
     :: else ->
        r = NONE;
        if
        :: length == 0 -> claim_waiter(WAIT_ANSWERING)        /* the fast path */
        :: else
        fi;
        if
        :: r != NONE -> deliver()
        :: else ->                                             /* sendSlow */
           if
           :: lock_rp()
           :: DEADLINE(sendFinite) -> res = TIMEOUT | SENDP   /* lockWithin: the lock busy to the deadline */
           fi;
           if
           :: res == (TIMEOUT | SENDP) -> skip                 /* nothing changed: not delivered */
           :: GONE(S) -> unlock_rp(); res = STALE_ID | SENDP
           :: else ->
              length++;
              claim_waiter(SKIP_ANSWERING);
              if
              :: r != NONE -> length--; unlock_rp(); deliver()
              :: else ->
                 d_step { partner[me] = ID(S); call_flag[me] = isCall };
                 link(me);
                 cas_own(ST(epoch, SENDING), ok);
                 if
                 :: !ok -> unlink(me)
                 :: else
                 fi;
                 unlock_rp();
                 res = (ok -> QUEUED : OWN_STATE_LOST | SENDP)
              fi
           fi
        fi;
        if
        :: res == QUEUED -> phase = SENDP; await()
        :: res == OK && isCall -> phase = RECVP; await()
        :: else
        fi
     fi
  fi
}

/* Client me makes n IPCs to S, each a call if isCall, else a send; the deadlines of its phases
   are finite if sendFinite, recvFinite. Its process may die at any moment (CRASH_CLIENT). */
proctype Client(byte me; bit isCall; byte n; bit sendFinite; bit recvFinite) {
  byte epoch, expect, st, observed, claimedEp, r, res, reason, phase, k, msg;
  bit ok, ok2, live, mustCheck, fin, park;

  {
    k = 0;
    do
    :: k == n -> break
    :: k < n ->
       atomic { msg = MSG(me, k); mr[me] = msg };                /* the message, in our registers */
       client_ipc();
       atomic { result[me] = res; epoch = 0; expect = 0; claimedEp = 0; r = 0; phase = 0; ok = 0 };
       /* the phase reported matches what happened (protocol.md 3, semantics 12) */
       if
       :: res == OK ->
          assert(delivered[msg] == 1);
          assert(!isCall || (replied[msg] == 1 && mr[me] == REPLY(msg)))
       :: IS_SEND_ERR(res) ->   /* CLOSED: this thread has ended, and the phase says nothing of delivery */
          assert(delivered[msg] == 0 || CODE_OF(res) == CLOSED)
       :: IS_RECV_ERR(res) ->
          assert(isCall || CODE_OF(res) == CLOSED);
          assert(CODE_OF(res) == CLOSED || (delivered[msg] == 1 && replied[msg] == 0))
       fi;
       atomic { k++; res = 0 }
    od;
    atomic { msg = 0; k = 0; finished[me] = 1 }
  } unless {
    atomic { crashed[me] -> epoch = 0; expect = 0; st = 0; observed = 0; claimedEp = 0; r = 0; res = 0;
             reason = 0; phase = 0; k = 0; msg = 0; ok = 0; ok2 = 0; live = 0; mustCheck = 0; fin = 0; park = 0 }
  }
}

/* ---- the receive phase (Rendezvous.receivePhase, receiveSlow, takeLocked, transferFrom) ------ */

inline take_sender(t) {
  t = NONE;
  i = 0;
  do
  :: i >= qn -> break
  :: i < qn ->
     t = q[i];
     st = state[t];
     if
     :: CODE(st) == SENDING ->
        atomic {
          cas_state(t, st, ST(EP(st), TAKEN), ok);
          if
          :: ok -> copier[t] = me
          :: else
          fi
        }
        if
        :: ok -> unlink(t); break
        :: else -> i++; t = NONE
        fi
     :: CODE(st) == DEAD -> unlink(t); t = NONE          /* the next entry moved up to i */
     :: else -> i++; t = NONE
     fi
  od
}

inline transfer_from(t) {
  atomic { st = state[t]; e = EP(st); st = 0 }
  if
  :: call_flag[t] ->
     d_step { mr[me] = mr[t]; sender[me] = ID(t); reply_to[me] = ID(t); reply_ep[me] = e; partner[t] = ID(me) }
     atomic {
       cas_state(t, ST(e, TAKEN), ST(e, WAIT_REPLY), ok);
       if
       :: ok -> assert(delivered[mr[t]] == 0); delivered[mr[t]] = 1; ndel++; copier[t] = NONE
       :: else
       fi
     }
     if
     :: !ok -> reply_to[me] = NIL
     :: else
     fi
  :: else ->
     d_step { mr[me] = mr[t]; sender[me] = ID(t); reply_to[me] = NIL; status[t] = OK }
     atomic {
       cas_state(t, ST(e, TAKEN), ST(e, DONE), ok);
       if
       :: ok -> assert(delivered[mr[t]] == 0); delivered[mr[t]] = 1; ndel++; copier[t] = NONE
       :: else
       fi
     }
  fi;
  if
  :: ok -> wake_if_sleeping(t)
  :: else
  fi
}

/* the receive phase at S's own point, open (PARTNER = ANY) */
inline receive_phase() {
  if
  :: GONE(S) -> res = STALE_ID | RECVP
  :: else ->
     res = WAITING;                  /* PARTNER = ANY, WAIT_RP = S's point: stored once, at init */
     if
     :: length == 0 ->
        cas_own(ST(epoch, RECEIVING), ok);                     /* publishReceiving */
        if
        :: !ok -> res = OWN_STATE_LOST | RECVP
        :: else ->
#ifndef BUG_NO_RECHECK
           if
           :: length == 0 -> res = QUEUED
           :: else ->
              cas_own(ST(epoch, IDLE), ok);                      /* retract */
              if
              :: !ok -> res = QUEUED
              :: else
              fi
           fi
#else
           res = QUEUED
#endif
        fi
     :: else
     fi;
     if
     :: res == WAITING ->                                       /* receiveSlow */
        if
        :: lock_rp()
        :: DEADLINE(recvFinite) -> res = TIMEOUT | RECVP    /* lockWithin: the lock busy to the deadline */
        fi;
        if
        :: res == (TIMEOUT | RECVP) -> skip                  /* still IDLE: nothing taken, nothing published */
        :: GONE(S) -> unlock_rp(); res = STALE_ID | RECVP
        :: else ->
           take_sender(t);
           do
           :: t == NONE -> break
           :: t != NONE ->
              unlock_rp();
              transfer_from(t);
              if
              :: ok -> res = OK; break
              :: else -> lock_rp(); take_sender(t)
              fi
           od;
           if
           :: res == WAITING ->
              cas_own(ST(epoch, RECEIVING), ok);
              unlock_rp();
              res = (ok -> QUEUED : OWN_STATE_LOST | RECVP)
           :: else
           fi
        fi
     :: else
     fi
  fi
}

/* ThreadEngine.receiveHere: the open receive in one table, after begin (ANSWERING in a replyWait) */
inline receive_here() {
  receive_phase();
  if                                                            /* wakeAnsweredCaller */
  :: answered != NONE -> wake_if_sleeping(answered); answered = NONE
  :: else
  fi;
  if
  :: res == QUEUED -> phase = RECVP; sendFinite = 0; await()
  :: else
  fi;
  if                                                            /* endAnswering */
  :: expect == ST(epoch, ANSWERING) -> cas_own(ST(epoch, IDLE), ok)
  :: else
  fi
}

/* Rendezvous.claimCaller, releaseCaller (deferred wake: replyWait) */
inline reply_and_receive() {
  caller = reply_to[me];
  cas_own(ST(epoch, ANSWERING), ok);
  if
  :: !ok -> res = OWN_STATE_LOST | RECVP
  :: else ->
     e = reply_ep[me];
     reply_to[me] = NIL;                                          /* one-shot */
     c = IDX(caller);
     atomic {
       cas_state(c, ST(e, WAIT_REPLY), ST(e, CLAIMED), ok);
       if
       :: ok -> copier[c] = me
       :: else
       fi
     }
     if
     :: !ok ->
        res = (CODE(state[c]) == DEAD -> STALE_ID : NO_PARTNER) | SENDP;
        if                                                        /* endAnswering */
        :: expect == ST(epoch, ANSWERING) -> cas_own(ST(epoch, IDLE), ok)
        :: else
        fi
     :: else ->
        d_step { mr[c] = REPLY(m); sender[c] = ID(me); status[c] = OK };
        atomic {
          cas_state(c, ST(e, CLAIMED), ST(e, DELIVERED), ok);
          if
          :: ok -> assert(replied[m] == 0); replied[m] = 1; copier[c] = NONE
          :: else
          fi
        }
        if
        :: ok && sleeping[c] != 0 -> answered = c
        :: else
        fi;
        receive_here()
     fi
  fi
}

proctype Server(bit recvFinite) {
  byte me = S;
  byte epoch, expect, st, observed, r, res, reason, phase, t, i, e, c, caller, answered, m;
  bit ok, mustCheck, sendFinite, fin, park;

  answered = NONE;
  do
  :: begin(res);
     if
     :: res != OK -> res = res | RECVP
     :: else ->
        if
        :: reply_to[me] != NIL -> reply_and_receive()            /* replyWait */
        :: else -> receive_here()                                 /* waitAny */
        fi
     fi;
     if
     :: res == OK ->
        m = mr[me];
        /* exactly once: the message in the registers is a request that reached S and that no
           earlier receive returned, and SENDER is its sender */
        assert(m >= 2 && m < NM && sender[me] == ID(m / 2));
        assert(delivered[m] == 1 && consumed[m] == 0);
        consumed[m] = 1; ncons++
     :: IS_SEND_ERR(res) -> skip                                   /* the reply failed: serve on */
     :: CODE_OF(res) == TIMEOUT || CODE_OF(res) == PEER_DEAD -> recvFinite = 0   /* serve on: one deadline, then none (epochs stay small) */
     :: else -> break                                              /* ABORTED (the closer), CLOSED, STALE_ID */
     fi;
     atomic { st = 0; observed = 0; r = 0; reason = 0; phase = 0; t = 0; i = 0; e = 0; c = 0; caller = 0;
              ok = 0; fin = 0; mustCheck = 0 }
  od;
  finished[me] = 1
}

/* ---- the environment: aborts, the kernel, the closer -------------------------------------- */

/* ThreadEngine.abort, Rendezvous.abort */
proctype Aborter(byte t) {
  byte st, me = N;
  st = state[t];
  if
  :: (CODE(st) == RECEIVING || CODE(st) == SENDING || CODE(st) == WAIT_REPLY || CODE(st) == CLAIMED
      || CODE(st) == TAKEN || CODE(st) == ANSWERING || CODE(st) == POLLING) ->
     abort_ep[t] = EP(st);
     wake_if_sleeping(t)
  :: else
  fi
}

/* only S's point has a queue; the others' locks are only taken to close them */
inline lock_rp_of(t) {
  if
  :: t == S -> lock_rp()
  :: else
  fi
}
inline unlock_rp_of(t) {
  if
  :: t == S -> unlock_rp()
  :: else
  fi
}

/* the kernel ends thread t (SpaceTables.kill, PortLifecycle.killPort, then
   ThreadRegistry.wakeAllSleepers). me is the kernel's lock value. */
proctype Killer(byte t) {
  byte st, me, u;
  bit ok;
  me = N;                      /* a lock holder distinct from the threads */
  ended[t] = 1;
  lock_rp_of(t);
  owner[t] = NIL;
  unlock_rp_of(t);
  do
  :: st = state[t];
     if
     :: CODE(st) == DEAD -> break
     :: CODE(st) == CLAIMED || CODE(st) == TAKEN ->
        if
        :: (state[t] != st)                                     /* the copier finishes */
        :: cas_state(t, st, ST(EP(st), DEAD), ok);    /* or, 100 ms on, the copy is stranded */
           if
           :: ok -> break
           :: else
           fi
        fi
     :: else ->
        cas_state(t, st, ST(EP(st), DEAD), ok);
        if
        :: ok -> break
        :: else
        fi
     fi
  od;
  if                                                            /* unlinkDead */
  :: linked[t] -> lock_rp(); unlink(t); unlock_rp()
  :: else
  fi;
  wake_if_sleeping(t);
  if
  :: t == S -> srv_dead = 1
  :: else -> c2_dead = 1
  fi;
  u = 0;                                                        /* wakeAllSleepers */
  do
  :: u < N -> wake_if_sleeping(u); u++
  :: else -> break
  od
}

/* C2's process dies at any moment; the survivor (the root, on the thread that saw the exit)
   then does Link.markSpaceDead: break its locks, kill its port now, rescue the copies it left
   half done into or out of the survivors' ports, wake every sleeper (protocol.md 10.4). */
proctype Crash() {
  byte st, me, u, held;
  bit ok;
  me = N;
  crashed[2] = 1;
  atomic { if :: lock == ID(2) -> lock = 0 :: else fi }           /* breakLocks */
  ended[2] = 1;
  owner[2] = NIL;                                                 /* killPortNow: closePoint */
  do
  :: st = state[2];
     if
     :: CODE(st) == DEAD -> break
     :: else ->
        cas_state(2, st, ST(EP(st), DEAD), ok);
        if
        :: ok -> break
        :: else
        fi
     fi
  od;
  if                                                              /* unlinkDead */
  :: linked[2] -> lock_rp(); unlink(2); unlock_rp()
  :: else
  fi;
  c2_dead = 1;
  u = 0;                                                          /* rescueStrandedCopies */
  do
  :: u < 2 ->
     st = state[u];
     if
     :: (CODE(st) == CLAIMED || CODE(st) == TAKEN) && copier[u] == 2 ->
        /* a copy whose copier is live gets GRACE_NANOS to finish: the model rescues only the
           dead one's (docs/model.md) */
        held = ST(EP(st), IDLE);
        cas_state(u, st, held, ok);
        if
        :: ok ->
           status[u] = (CODE(st) == CLAIMED || call_flag[u] -> PEER_DEAD | RECVP : PEER_DEAD | SENDP);
           cas_state(u, held, ST(EP(st), (CODE(st) == CLAIMED -> DELIVERED : DONE)), ok);
           wake_if_sleeping(u)
        :: else
        fi
     :: else
     fi;
     u++
  :: else -> break
  od;
  u = 0;                                                          /* wakeAllSleepers */
  do
  :: u < N -> wake_if_sleeping(u); u++
  :: else -> break
  od
}

/* Ends the server once nothing can be pending for it: every client has returned (or is dead)
   and every request that reached S has been received. A lost wake-up or message keeps this from
   ever firing, and shows as an invalid end state. */
proctype Closer() {
  byte st, me, u;
  me = N;
  do
  :: finished[S] -> break
  :: atomic { (!finished[S] && finished[1] && (finished[2] || crashed[2])
                && (srv_dead || ndel == ncons))
               -> st = state[S] }
     if
     :: (CODE(st) == RECEIVING || CODE(st) == SENDING || CODE(st) == WAIT_REPLY || CODE(st) == CLAIMED
         || CODE(st) == TAKEN || CODE(st) == ANSWERING || CODE(st) == POLLING) ->
        abort_ep[S] = EP(st);
        wake_if_sleeping(S)
     :: else
     fi;
     st = 0
  od
}

init {
  byte t;
  atomic {
    t = 0;
    do
    :: t < N -> state[t] = ST(1, IDLE); owner[t] = ID(t); copier[t] = NONE; partner[t] = ANY; t++
    :: else -> break
    od;
#ifdef SRV_TIMEOUT
    run Server(1);
#else
    run Server(0);
#endif
#ifdef TIMEOUTS
#define FINITE 1
#else
#define FINITE 0
#endif
    if
    :: C1_OPS > 0 -> run Client(1, 0, C1_OPS, FINITE, FINITE)
    :: else -> finished[1] = 1
    fi;
    if
    :: C2_OPS > 0 -> run Client(2, C2_CALL, C2_OPS, FINITE, FINITE)
    :: else -> finished[2] = 1
    fi;
#ifdef ABORT
    run Aborter(1);
#endif
#ifdef KILL_SERVER
    run Killer(S);
#endif
#ifdef KILL_CLIENT
    run Killer(2);
#endif
#ifdef CRASH_CLIENT
    run Crash();
#endif
    run Closer()
  }
}
