/*
 * lane.pml: the call lane (docs/rpc-wire.md, section 10), as CallLane, CallLanes and RpcServer
 * run it: one client thread with a lane, a pool of server threads on one endpoint, calls that go
 * on the lane while a server thread attends it and over the kernel otherwise, the race between a
 * post and an attendant that leaves, deadlines that give a posted call up, and the client's close.
 *
 *   Client   M calls. A call goes on the lane if the last lane request is answered
 *            (REPLIED == posted) and POSTED == posted (attended, open): it writes the request,
 *            then CAS(POSTED, s, s + 1); a failed CAS, or a lane not ready, sends the call over
 *            the kernel, naming the lane. With TIMEOUTS a call waiting on the lane may give up
 *            (its deadline: delivered, the reply lost), and so may a kernel call once delivered (its
 *            server thread then serves it while the client goes on). After its calls the client
 *            closes the lane.
 *   Server   P pool threads: take a kernel call from the endpoint, serve it, take the lane if the
 *            call named it and nobody attends it (CAS s|VACANT -> s), answer the call, then
 *            attend: POSTED == s: poll again, or leave (CAS s -> s|VACANT) and go back to the
 *            endpoint; POSTED == s + 1: TAKEN := s + 1, copy the request, serve it, write the
 *            reply, REPLIED := s + 1; anything else (CLOSED): let the lane go.
 *
 * One step per shared access (sequentially consistent); the kernel call is a rendezvous channel
 * (the kernel's own model, rendezvous.pml, checks it). Ghosts count how often each call was
 * served; the properties: every call is served at most once; a call answered was served once and
 * its answer is its own; a call given up was delivered (it is served, once); no process waits for
 * ever (an invalid end state).
 *
 * Scenarios (-D at `spin -a`):
 *   M=n        calls (default 3); P=n server threads (default 2)
 *   TIMEOUTS   a call waiting on the lane may give up at any step
 * Mutations (each must make SPIN report an error):
 *   BUG_LEAVE_STORE       the attendant leaves with a check and a store, not a CAS: a post between
 *                         them is lost
 *   BUG_POST_STORE        the client posts with a check and a store, not a CAS: a post after the
 *                         attendant left is never taken
 *   BUG_ATTACH_STORE      a server thread takes the lane with a check and a store: two attend it
 *   BUG_POST_UNANSWERED   the client posts again without waiting for the reply of a call it gave
 *                         up: it overwrites the request the server is about to copy
 */

#ifndef M
#define M 3
#endif
#ifndef P
#define P 2
#endif

#define NONE 255

/* ---- the lane -------------------------------------------------------------------------------- */
byte posted_seq;                /* POSTED's sequence number */
bit vacant = 1;                 /* POSTED's VACANT */
bit closed;                     /* POSTED's CLOSED */
byte req = NONE;                /* the request line: which call it carries */
byte replied_seq;               /* REPLIED */
byte reply_of = NONE;           /* the reply line: which call it answers */

/* ---- the kernel ------------------------------------------------------------------------------ */
chan endpoint = [0] of { byte, bit };   /* a call, and whether it names the lane */
chan answer = [M] of { byte };          /* the replies to the client's kernel calls (buffered: a
                                           reply to a call given up is never taken) */

/* ---- ghosts ---------------------------------------------------------------------------------- */
byte served[M];                 /* how often each call was served */
byte attendants;                /* server threads attending the lane now (changed in the step that
                                   takes or leaves it) */

inline serve(k) {
  d_step {
    assert(k < M);
    served[k]++;
    assert(served[k] == 1)      /* exactly once: never twice */
  }
}

active proctype Client() {
  byte k = 0;
  byte s = 0;                   /* the sequence number of the last request posted */
  bit unanswered;               /* the last lane request was given up */
  do
  :: k == M -> break
  :: k < M ->
     /* the lane, if it is ready */
     if
     :: unanswered && replied_seq == s -> unanswered = 0
     :: else
     fi;
#ifdef BUG_POST_UNANSWERED
     if
     :: posted_seq == s && !vacant && !closed ->
#else
     if
     :: !unanswered && posted_seq == s && !vacant && !closed ->
#endif
        req = k;                                  /* write the request */
#ifdef BUG_POST_STORE
        if
        :: true -> posted_seq = s + 1;            /* a store: the attendant may have left */
           goto posted
        fi;
#else
        atomic {
          if
          :: posted_seq == s && !vacant && !closed -> posted_seq = s + 1; goto posted
          :: else
          fi
        };
#endif
        goto kernel
posted:
        s = s + 1;
        if
        :: replied_seq == s ->
           assert(reply_of == k);                 /* its own answer */
           assert(served[k] == 1)
#ifdef TIMEOUTS
        :: true -> unanswered = 1                  /* the deadline: delivered, reply lost */
#endif
        fi;
        goto next
     :: else -> goto kernel
     fi;
kernel:
     endpoint!k,1;                                /* delivered */
     if
     :: answer??eval(k) -> assert(served[k] == 1)
#ifdef TIMEOUTS
     :: true                                      /* the deadline: the server answers into the void */
#endif
     fi;
next:
     k++
  od;
  /* a call given up on the lane was delivered: it is served while the lane stays open (a ghost
     wait: the client does not wait for it, but a lost request blocks it here for ever) */
  k = 0;
  do
  :: k == M -> break
  :: k < M -> served[k] == 1; k++
  od;
  /* close: CAS CLOSED onto POSTED */
  atomic { closed = 1 };
end_client:
  skip
}

active [P] proctype Server() {
  byte k;
  bit names_lane;
  byte s;
  byte w;
  bit taken_lane;
  byte copied;
end_wait:
  do
  :: endpoint?k,names_lane ->
     serve(k);
     taken_lane = 0;
     if
     :: names_lane ->
#ifdef BUG_ATTACH_STORE
        if
        :: vacant && !closed -> s = posted_seq; d_step { vacant = 0; taken_lane = 1; attendants++ }
        :: else
        fi;
#else
        atomic {
          if
          :: vacant && !closed -> s = posted_seq; vacant = 0; taken_lane = 1; attendants++
          :: else
          fi
        };
#endif
        assert(attendants <= 1)                   /* one attendant at a time */
     :: else
     fi;
     answer!k;                                    /* the reply: after the lane was taken */
     if
     :: taken_lane ->
        do
        :: atomic { w = posted_seq; if :: closed -> w = NONE :: else fi };
           if
           :: w == s ->
              if
              :: true                             /* poll again */
#ifdef BUG_LEAVE_STORE
              :: posted_seq == s -> d_step { vacant = 1; attendants-- }; break
#else
              :: atomic { if :: posted_seq == s && !closed -> vacant = 1; attendants--; break :: else fi }
#endif
              fi
           :: w == s + 1 ->
              copied = req;                        /* TAKEN, then the copy of the request */
              s = w;
              serve(copied);
              reply_of = copied;
              replied_seq = s
           :: else ->                              /* CLOSED: let the lane go */
              d_step { attendants-- };
              break
           fi
        od
     :: else
     fi
  od
}
