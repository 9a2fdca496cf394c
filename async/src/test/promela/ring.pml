/*
 * ring.pml: the one-way queue (docs/queue-wire.md), as RingSender, RingReceiver and QueueEnd run
 * it: a ring of SC slots with SEQUENCE stamps, messages of 1 or 2 slots, the lazy READ_POSITION,
 * the sleep announcement and the lazy wake-up in both directions, close and death
 * (docs/ring-model.md).
 *
 *   Sender    M messages, each of 1 slot or (SC >= 4) 2; with OFFERS each may first be offered
 *             (zero timeout: FULL, then sent with no timeout); then, as the scenario says, it
 *             closes, stops, or dies
 *   Receiver  M messages (each may first be tried with a zero timeout: EMPTY, then waited for),
 *             or, where the sender ends, messages until PEER_DEAD; with RECV_CLOSE it closes
 *             after any number of them
 *   Killer    the death of one end's process at any step, and the watcher's peerDied on the
 *             survivor (QueueEnd.peerDied)
 *
 * One step per shared access (sequentially consistent: the Dekker pairs of section 5 use
 * volatile accesses); the payload and continuation stamps of a message, which nobody reads
 * before its first stamp, are one step. Both ends use the BLOCK strategy: they sleep at every
 * round of their wait loop (SPIN and ADAPTIVE only leave sleeps out). Futex semantics: a wait
 * returns at once if the word is not 1 and otherwise blocks until a wake; a wake with nobody
 * waiting is lost. Waits have no deadline (timeouts NEVER), except the sender's with
 * SEND_TIMEOUTS, and the queue has no sleep slice, so a lost wake-up is a process blocked for
 * ever: an invalid end state.
 *
 * Finding 1 (docs/ring-model.md, fixed): with SEND_MARKED_DEAD and without SEND_TIMEOUTS, the
 * sender waited for room for ever: the receiver's close after PEER_DEAD stored nothing
 * (QueueEnd.closeEnd), so the sender, still running, was never told. Now a close moves the end's
 * STATE from OPEN to CLOSED whatever its status, and wakes the peer; BUG_CLOSE_STORES_NOTHING
 * puts the bug back.
 *
 * Scenarios (-D at `spin -a`):
 *   SC=n          slots (2 or 4; default 4); M=n messages (default 4)
 *   OFFERS        each message may first be offered (FULL when there is no room)
 *   RECV_TRY      each receive may first be tried with a zero timeout (EMPTY)
 *   SEND_CLOSE    the sender closes after its messages; the receiver receives until PEER_DEAD
 *   SEND_DIES     the sender's process dies at any step; the receiver receives until PEER_DEAD
 *   RECV_CLOSE    the receiver closes after any number of messages; every send ends
 *   RECV_DIES     the receiver's process dies at any step; every send ends
 *   NO_PUBLISH_BEFORE_SLEEP  the receiver publishes once per half ring only, not before it sleeps
 *                 (the argument of queue-wire.md section 4: that alone leaves room for any message)
 *   SEND_TIMEOUTS the sender's waits for room have a deadline, which may pass at any check (the
 *                 message is then not sent: TIMEOUT)
 *   SEND_MARKED_DEAD  the watcher marks the sender DEAD while it still runs (its space ended under
 *                 a send); the receiver takes everything published before the mark, then
 *                 PEER_DEAD, then closes its end
 * Mutations (each must make SPIN report an error):
 *   BUG_CLOSE_STORES_NOTHING an end closed after PEER_DEAD leaves its STATE OPEN (finding 1)
 *   BUG_RECV_ANNOUNCE_LATE  RECEIVER_SLEEPING := 1 by a release store: the re-check passes it
 *   BUG_SEND_ANNOUNCE_LATE  SENDER_SLEEPING := 1 by a release store: the re-check passes it
 *   BUG_COMMIT_RELEASE      the first stamp by a release store: the load of RECEIVER_SLEEPING passes it
 *   BUG_PUBLISH_RELEASE     READ_POSITION by a release store: the load of SENDER_SLEEPING passes it
 *   BUG_PUBLISH_NO_WAKE     the receiver publishes READ_POSITION without waking a sleeping sender
 *   BUG_WAKE_KEEPS_WORD     the waker calls FUTEX_WAKE without its CAS of the word from 1 to 0
 *   BUG_NO_STATE_RECHECK    a receiver that sees SENDER_STATE not OPEN ends without looking at the slot again
 *   BUG_WATCHER_NO_WAKE     the watcher stores DEAD but does not wake the survivor
 *   BUG_SEQ_LAP             SEQUENCE modulo SC: a slot's stamp of the previous lap reads as new
 *   BUG_ROOM_OFF_BY_ONE     the sender's room test lets it write one slot too many
 *   BUG_STAMP_FIRST         the first stamp is stored before the payload and continuation stamps
 */

#ifndef SC
#define SC 4
#endif
#ifndef M
#define M 4
#endif
#define HALF (SC / 2)                  /* maxPayload in slots, and the receiver's publishEvery */
#if SC >= 4
#define MAXN 2
#else
#define MAXN 1
#endif

/* SEQUENCE: the position modulo SEQ_MOD (2^32 in the queue). 2 * SC is the narrowest modulus that
   tells a position from the one a lap earlier; the ghost check in look() shows that no other
   stamp is ever there, so the classification is the one 2^32 makes (docs/ring-model.md). */
#ifdef BUG_SEQ_LAP
#define SEQ_MOD SC
#else
#define SEQ_MOD (2 * SC)
#endif

/* STAMP = SEQUENCE * 8 + F * 4 + INFO; INFO is the message's slots (F = 1: its LENGTH, counted in
   slots here) or the slot's index in its message (F = 0); 0 is the stamp of a fresh ring */
#define FIRST_STAMP(p, n)  (((p) % SEQ_MOD) * 8 + 4 + (n))
#define CONT_STAMP(p, k)   (((p) % SEQ_MOD) * 8 + (k))
#define SEQ(s)    ((s) / 8)
#define IS_FIRST(s) (((s) / 4) % 2 == 1)
#define INFO(s)   ((s) % 4)
#define SLOT(p)   ((p) % SC)
/* the receiver's "nothing yet": the stamp of the previous lap, or a fresh ring's 0 */
#define STALE(s, p) (SEQ(s) == ((p) + SEQ_MOD - SC) % SEQ_MOD || ((s) == 0 && (p) < SC))

/* the payload of slot k of message id, as the sender writes it */
#define PAY(id, k) ((id) * 2 + (k) + 1)

/* STATE words (section 6); FAILED needs a protocol error, which a correct peer never causes */
#define OPEN   0
#define CLOSED 1
#define DEAD   2

#define NONE 255

/* ---- the segment ---------------------------------------------------------------------------- */
byte stamp[SC];
byte payload[SC];
byte read_pos;                 /* READ_POSITION */
byte s_state, r_state;         /* SENDER_STATE, RECEIVER_STATE */
bit s_sleeping, r_sleeping;    /* SENDER_SLEEPING, RECEIVER_SLEEPING: the futex words */

/* the futex wait queues: whether the end is blocked in FUTEX_WAIT on its word */
bit s_fwait, r_fwait;

/* ---- ghosts ---------------------------------------------------------------------------------- */
byte spos[SC];                 /* the position whose stamp the slot holds; NONE in a fresh ring */
byte npub;                     /* messages published (the first stamp stored) */
byte npub_end;                 /* npub when SENDER_STATE left OPEN */
byte nrecv;                    /* messages the receiver has taken */
byte mlen[M];                  /* the slots of the message published as id */
bit s_crashed, r_crashed;      /* the end's process has died */
bit s_gone, r_gone;            /* the end got PEER_DEAD */

#if defined(SEND_CLOSE) || defined(SEND_DIES) || defined(SEND_MARKED_DEAD)
#define UNTIL_PEER_DEAD 1
#else
#define UNTIL_PEER_DEAD 0
#endif

/* ---- the waker's half (QueueEnd.wakePeerIfSleeping) ------------------------------------------ */

/* if PEER_SLEEPING != 0 (volatile) and CAS(PEER_SLEEPING, 1, 0): FUTEX_WAKE */
inline wake_if_sleeping(word, fw) {
  if
  :: word != 0 ->
#ifndef BUG_WAKE_KEEPS_WORD
     atomic {
       if
       :: word == 1 -> word = 0; won = 1
       :: else -> won = 0
       fi
     };
#else
     won = 1;
#endif
     if
     :: won -> fw = 0; won = 0
     :: else
     fi
  :: else
  fi
}

/* FUTEX_WAIT(&word, 1): returns at once if the word is not 1, else blocks until a FUTEX_WAKE or,
   if timed, until the deadline passes */
inline futex_wait(word, fw, timed) {
  atomic {
    if
    :: word == 1 -> fw = 1
    :: else
    fi
  }
  if
  :: fw == 0
  :: timed -> fw = 0
  fi
}

#ifdef SEND_TIMEOUTS
#define SEND_TIMED 1
#else
#define SEND_TIMED 0
#endif

/* ---- the sender (RingSender, QueueEnd) ------------------------------------------------------- */

/* the receiver's state is not OPEN: PEER_DEAD (peerGone re-reads it, and states never go back) */
#define SENDER_GONE() atomic { assert(r_state != OPEN); s_gone = 1 }; goto sender_end

proctype Sender() {
  byte pos, cached, n, r, k, id, tries;
  bit zero, checkNow, won, sl;
  {
  do
  :: tries < M ->
     /* the caller's message: 1 slot, or 2 */
     if
     :: n = 1
     :: MAXN >= 2 -> n = 2
     fi;
#ifdef OFFERS
     if
     :: zero = 1
     :: zero = 0
     fi;
#endif
claim:
     /* claim: RECEIVER_STATE (opaque), with each message */
     if
     :: r_state != OPEN -> SENDER_GONE()
     :: else
     fi;
     /* room, with the cached READ_POSITION */
#ifdef BUG_ROOM_OFF_BY_ONE
     if
     :: pos + n - cached > SC + 1 ->
#else
     if
     :: pos + n - cached > SC ->
#endif
        checkNow = 0;
        do
        :: /* poll: READ_POSITION (volatile), checked: cachedRead <= r <= position */
           atomic {
             r = read_pos;
             assert(cached <= r && r <= pos);
             cached = r;
             r = 0
           };
#ifdef BUG_ROOM_OFF_BY_ONE
           if
           :: pos + n - cached <= SC + 1 -> break
           :: else
           fi;
#else
           if
           :: pos + n - cached <= SC -> break
           :: else
           fi;
#endif
           if
           :: zero ->                                /* the offer: peerGone, then FULL */
              if
              :: r_state != OPEN -> SENDER_GONE()
              :: else
              fi;
              zero = 0;                              /* FULL: the caller sends it, waiting */
              goto claim
           :: else
           fi;
           if
           :: checkNow ->                            /* check, after a sleep: peerGone, the deadline */
              if
              :: r_state != OPEN -> SENDER_GONE()
              :: else
              fi;
              if
              :: SEND_TIMED -> checkNow = 0; goto next_try   /* TIMEOUT: nothing was stamped */
              :: true
              fi
           :: else
           fi;
           /* sleep: announce, re-check READ_POSITION and RECEIVER_STATE, wait */
#ifndef BUG_SEND_ANNOUNCE_LATE
           s_sleeping = 1;
           if
           :: read_pos != cached -> s_sleeping = 0
           :: else ->
              if
              :: r_state != OPEN -> s_sleeping = 0
              :: else -> futex_wait(s_sleeping, s_fwait, SEND_TIMED); s_sleeping = 0
              fi
           fi;
#else
           if
           :: read_pos != cached
           :: else ->
              if
              :: r_state != OPEN
              :: else -> s_sleeping = 1; futex_wait(s_sleeping, s_fwait, SEND_TIMED); s_sleeping = 0
              fi
           fi;
#endif
           checkNow = 1
        od
     :: else
     fi;
     zero = 0;
     checkNow = 0;
     /* the claim is pos .. pos + n - 1 */
#ifdef BUG_STAMP_FIRST
     atomic { stamp[SLOT(pos)] = FIRST_STAMP(pos, n); spos[SLOT(pos)] = pos; mlen[npub] = n; npub++ };
#endif
     /* payload and continuation stamps (plain; nobody reads them before the first stamp) */
     atomic {
       k = 0;
       do
       :: k < n ->
          payload[SLOT(pos + k)] = PAY(id, k);
          if
          :: k > 0 -> stamp[SLOT(pos + k)] = CONT_STAMP(pos + k, k); spos[SLOT(pos + k)] = pos + k
          :: else
          fi;
          k++
       :: else -> break
       od;
       k = 0
     };
#ifndef BUG_STAMP_FIRST
#ifdef BUG_COMMIT_RELEASE
     sl = r_sleeping;                                /* the load passes the release store */
#endif
     /* publish: the first stamp (volatile) */
     atomic { stamp[SLOT(pos)] = FIRST_STAMP(pos, n); spos[SLOT(pos)] = pos; mlen[npub] = n; npub++ };
#endif
     pos = pos + n;
     /* the lazy wake-up */
#ifdef BUG_COMMIT_RELEASE
     if
     :: sl -> wake_if_sleeping(r_sleeping, r_fwait)
     :: else
     fi;
     sl = 0;
#else
     wake_if_sleeping(r_sleeping, r_fwait);
#endif
     id++;
next_try:
     atomic { tries++; n = 0 }
  :: else -> break
  od;
#ifdef SEND_CLOSE
  /* closeEnd: SENDER_STATE := CLOSED (volatile), then the waker's half */
  atomic { s_state = CLOSED; npub_end = npub };
  wake_if_sleeping(r_sleeping, r_fwait);
#endif
sender_end:
  skip
  } unless { s_crashed }
}

/* ---- the receiver (RingReceiver, QueueEnd) --------------------------------------------------- */

#define FOUND   1
#define NOTHING 2

/* next(): STAMP(position) (acquire); a message's continuation stamps and payload (plain loads,
   after it) are one step. Every stamp read is checked against the ghost: the slot holds the stamp
   of this position, of the one a lap earlier, or a fresh ring's 0 (queue-wire.md section 4). */
inline look(res) {
  atomic {
    s = stamp[SLOT(pos)];
    assert(spos[SLOT(pos)] == pos || spos[SLOT(pos)] + SC == pos || (spos[SLOT(pos)] == NONE && s == 0 && pos < SC));
    if
    :: SEQ(s) == pos % SEQ_MOD && IS_FIRST(s) -> res = FOUND
    :: else ->
       assert(STALE(s, pos));                        /* else: protocol error, which no correct sender causes */
       res = NOTHING
    fi
  };
  if
  :: res == FOUND ->
     atomic {
       n = INFO(s);
       assert(n >= 1 && n <= HALF);                  /* LENGTH <= maxPayload */
       k = 1;
       do
       :: k < n -> assert(stamp[SLOT(pos + k)] == CONT_STAMP(pos + k, k)); k++
       :: else -> break
       od;
       /* what the receiver takes is the next message published, whole: FIFO, exactly once, not torn */
       assert(nrecv < npub && n == mlen[nrecv]);
       k = 0;
       do
       :: k < n -> assert(payload[SLOT(pos + k)] == PAY(nrecv, k)); k++
       :: else -> break
       od;
       k = 0
     }
  :: else
  fi;
  s = 0
}

/* the handler returned: position += n; publish once per half ring */
inline consume() {
  atomic { nrecv++; got++; pos = pos + n; n = 0 };
  if
  :: pos - published >= HALF -> publish()
  :: else
  fi
}

/* READ_POSITION := position (volatile), then the waker's half */
inline publish() {
#ifdef BUG_PUBLISH_RELEASE
  sl = s_sleeping;                                   /* the load passes the release store */
  read_pos = pos;
  published = pos;
  if
  :: sl -> wake_if_sleeping(s_sleeping, s_fwait)
  :: else
  fi;
  sl = 0
#else
  read_pos = pos;
  published = pos;
#ifndef BUG_PUBLISH_NO_WAKE
  wake_if_sleeping(s_sleeping, s_fwait)
#endif
#endif
}

/* peerCheck: SENDER_STATE (volatile); not OPEN: look at the slot once more, then PEER_DEAD */
inline peer_check(res) {
  if
  :: s_state != OPEN ->
#ifndef BUG_NO_STATE_RECHECK
     look(res);
#else
     res = NOTHING;
#endif
     if
     :: res == NOTHING ->
        /* PEER_DEAD: everything the sender published before its state left OPEN has been taken */
        atomic { assert(s_state != OPEN && nrecv >= npub_end); r_gone = 1 };
        /* the caller closes its end: closeEnd moves STATE from OPEN to CLOSED whatever the end's
           status, and wakes the peer (finding 1, fixed) */
#ifndef BUG_CLOSE_STORES_NOTHING
        atomic {
          if
          :: r_state == OPEN -> r_state = CLOSED
          :: else
          fi
        };
        wake_if_sleeping(s_sleeping, s_fwait);
#endif
        goto receiver_end
     :: else
     fi
  :: else -> res = NOTHING
  fi
}

proctype Receiver() {
  byte pos, published, s, n, k, got, res;
  bit zero, checkNow, won, sl;
  {
  do
  :: UNTIL_PEER_DEAD || got < M ->
#ifdef RECV_CLOSE
     /* the caller may close instead: closeEnd, RECEIVER_STATE := CLOSED, then the waker's half */
     if
     :: skip
     :: r_state = CLOSED; wake_if_sleeping(s_sleeping, s_fwait); goto receiver_end
     fi;
#endif
#ifdef RECV_TRY
     if
     :: zero = 1
     :: zero = 0
     fi;
#endif
     look(res);
     if
     :: res == NOTHING && zero ->                    /* the zero timeout: peerCheck, then EMPTY */
        peer_check(res);
        zero = 0;
        if
        :: res == NOTHING -> look(res)               /* EMPTY: the caller receives again, waiting */
        :: else
        fi
     :: else
     fi;
     /* await, BLOCK: poll, check after a sleep, sleep */
     checkNow = 0;
     do
     :: res == FOUND -> break
     :: else ->
        if
        :: checkNow -> peer_check(res)
        :: else
        fi;
        if
        :: res == NOTHING ->
           /* sleep: publish what is unpublished, announce, re-check the slot and SENDER_STATE, wait */
#ifndef NO_PUBLISH_BEFORE_SLEEP
           if
           :: pos != published -> publish()
           :: else
           fi;
#endif
#ifndef BUG_RECV_ANNOUNCE_LATE
           r_sleeping = 1;
           if
           :: !STALE(stamp[SLOT(pos)], pos) -> r_sleeping = 0
           :: else ->
              if
              :: s_state != OPEN -> r_sleeping = 0
              :: else -> futex_wait(r_sleeping, r_fwait, 0); r_sleeping = 0
              fi
           fi;
#else
           if
           :: !STALE(stamp[SLOT(pos)], pos)
           :: else ->
              if
              :: s_state != OPEN
              :: else -> r_sleeping = 1; futex_wait(r_sleeping, r_fwait, 0); r_sleeping = 0
              fi
           fi;
#endif
           checkNow = 1;
           look(res)                                 /* the loop's poll */
        :: else
        fi
     od;
     checkNow = 0;
     consume()
  :: else -> break
  od;
receiver_end:
  skip
  } unless { r_crashed }
}

/* ---- death: the process stops at any step; the watcher marks it DEAD and wakes the survivor -- */

/* SideWatch.markDead (the broker, or QueueEnd.peerDied on the survivor): the dead end's STATE
   CAS OPEN -> DEAD (a side that closed first keeps CLOSED), the survivor's SLEEPING := 0,
   FUTEX_WAKE whatever the word said */
proctype Killer() {
  skip;
#ifdef SEND_DIES
  s_crashed = 1;
  atomic { if :: s_state == OPEN -> s_state = DEAD :: else fi; npub_end = npub };
  r_sleeping = 0;
#ifndef BUG_WATCHER_NO_WAKE
  r_fwait = 0
#endif
#endif
#ifdef SEND_MARKED_DEAD
  atomic { if :: s_state == OPEN -> s_state = DEAD :: else fi; npub_end = npub };
  r_sleeping = 0;
#ifndef BUG_WATCHER_NO_WAKE
  r_fwait = 0
#endif
#endif
#ifdef RECV_DIES
  r_crashed = 1;
  atomic { if :: r_state == OPEN -> r_state = DEAD :: else fi };
  s_sleeping = 0;
#ifndef BUG_WATCHER_NO_WAKE
  s_fwait = 0
#endif
#endif
}

/* ---- the end: what each side got -------------------------------------------------------------- */

init {
  byte i;
  atomic {
    i = 0;
    do
    :: i < SC -> spos[i] = NONE; i++
    :: else -> break
    od;
    run Sender();
    run Receiver();
#if defined(SEND_DIES) || defined(RECV_DIES) || defined(SEND_MARKED_DEAD)
    run Killer()
#endif
  };
  /* once both ends are done: nothing published was lost unless the receiver stopped early */
  (_nr_pr == 1);
#if !defined(RECV_CLOSE) && !defined(RECV_DIES) && !defined(SEND_MARKED_DEAD)
  assert(nrecv == npub);
#endif
#if !defined(SEND_DIES) && !defined(RECV_CLOSE) && !defined(RECV_DIES) && !defined(SEND_MARKED_DEAD) \
    && !defined(SEND_TIMEOUTS)
  assert(npub == M && !s_gone);
#endif
  skip
}
