/*
 * common.pml: the vocabulary shared by the models of the rendezvous (docs/model.md).
 *
 * A TCB's STATE word is (epoch << 8 | code) in the kernel; here it is epoch * 16 + code in one
 * byte, which is enough for the few IPCs each model thread makes. Statuses are code | phase, as
 * in protocol.md section 3, with the phase bits scaled down to fit a byte.
 */

/* TCB states (protocol.md 4.1, TcbDescriptor) */
#define FREE        0
#define IDLE        1
#define RECEIVING   2
#define CLAIMED     3
#define DELIVERED   4
#define SENDING     5
#define TAKEN       6
#define WAIT_REPLY  7
#define DONE        8
#define DEAD        9
#define ANSWERING  10
#define POLLING    11

#define ST(e, c)    ((e) * 16 + (c))
#define CODE(s)     ((s) % 16)
#define EP(s)       ((s) / 16)

/* Status codes (protocol.md 3); phases as bits 4 and 5 */
#define OK              0
#define TIMEOUT         1
#define NO_PARTNER      2
#define STALE_ID        4
#define PEER_DEAD       5
#define ABORTED         6
#define CLOSED         10
#define PROTOCOL_ERROR 11
#define SENDP          16
#define RECVP          32
#define CODE_OF(s)     ((s) % 16)
#define IS_SEND_ERR(s) ((s) >= SENDP && (s) < RECVP)
#define IS_RECV_ERR(s) ((s) >= RECVP)

/* Engine codes (EngineCodes): outside the status range */
#define QUEUED   100
#define WAITING  101
#define NOTHING  102
#define RESTART  103

/* Ids: thread t has id t + 1 (versions never change: no slot is reused in the models) */
#define NIL   0
#define ANY  15
#define ID(t)  ((t) + 1)
#define IDX(i) ((i) - 1)
#define NONE 255

/*
 * A CAS on a state word (sequentially consistent, one indivisible step). The check that DEAD is
 * left by nobody (TcbDescriptor: "DEAD: nobody; the kernel stores a new port when it reuses the
 * slot") is optional: see docs/model.md, finding 1.
 */
#ifdef CHECK_DEAD_TERMINAL
#define DEAD_STAYS(old) assert(CODE(old) != DEAD)
#else
#define DEAD_STAYS(old) skip
#endif

inline cas_state(t, old, new, ok) {
  atomic {
    if
    :: state[t] == old -> DEAD_STAYS(old); state[t] = new; ok = 1
    :: else -> ok = 0
    fi
  }
}
