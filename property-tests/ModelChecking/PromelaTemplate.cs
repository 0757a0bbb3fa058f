using StateMachineMqtt.Spec;
using StateMachineMqtt.Verification.ModelChecking;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// The hand-written parts of the Promela model: its state, what each guard means in it, and the composition (the engine's
/// effects, the broker, the network and time) restated in Promela. This is the one restatement of the engine left outside
/// engine/: spin cannot run C#, so the effects the engine binds once are written here again, with the old three-phase clock
/// and timing assumptions (a healthy link answers within the response time). The table-driven parts — every row — are
/// written by <see cref="PromelaExport"/>; the C# model checker explores the engine itself and needs none of this.
/// </summary>
internal static class PromelaTemplate
{
    /// <summary>What a Connection guard means in the Promela model's variables.</summary>
    public static string Meaning(ConnectionGuard guard) => ConnectionGuards.TryGetValue(guard, out string? meaning) ? meaning
        : throw new InvalidOperationException($"Connection guard {guard} has no meaning in the Promela model: add it to PromelaTemplate.");

    /// <summary>What a KeepAlive guard means: the valuation a Tick carries (or the clock phase's), in <c>g</c>.</summary>
    public static string Meaning(KeepAliveGuard guard) => $"g == KG_{guard}";

    /// <summary>What a Publish guard means for message <c>i</c>.</summary>
    public static string Meaning(PublishGuard guard) => PublishGuards.TryGetValue(guard, out string? meaning) ? meaning
        : throw new InvalidOperationException($"Publish guard {guard} has no meaning in the Promela model: add it to PromelaTemplate.");

    private static readonly Dictionary<ConnectionGuard, string> ConnectionGuards = new()
    {
        [ConnectionGuard.NeverConnected] = "!hasConnected",
        [ConnectionGuard.HasConnectedBefore] = "hasConnected",
        [ConnectionGuard.SessionTrusted] = "!inDoubt",
        [ConnectionGuard.SessionInDoubt] = "inDoubt",
        // The model's application sets no first-connect bound: retrying is always allowed.
        [ConnectionGuard.RetryAllowed] = "true",
        [ConnectionGuard.FirstConnectBoundReached] = "false",
    };

    private static readonly Dictionary<PublishGuard, string> PublishGuards = new()
    {
        // The Promela model speaks MQTT 3.1.1 unless spin is run with -DV5=1.
        [PublishGuard.V311ResendsLeft] = "!V5 && mrep[i] < MAXREP",
        [PublishGuard.V5WaitsLeft] = "V5 && mrep[i] < MAXREP",
        [PublishGuard.V311] = "!V5",
        [PublishGuard.V5] = "V5",
        [PublishGuard.RetriesExhausted] = "mrep[i] >= MAXREP",
        [PublishGuard.AtLeastOnce] = "QOS(i) == 1",
        [PublishGuard.ExactlyOnce] = "QOS(i) == 2",
    };

    public const string Globals = """
        #define E_AppConnect 1
        #define E_AppPublish 2
        #define E_Timer 3
        #define E_ConnAck 4
        #define E_PubAck 5
        #define E_SubAck 6
        #define E_Other 7
        #define E_Fault 8
        /* Scratch for one step (hidden: not part of the state; every step writes before it reads and resets them at its end). */
        hidden byte ev = NONE; hidden byte rx; hidden byte rxAck; hidden byte kt = NONE; hidden byte kval; hidden byte pt = NONE;
        hidden byte pi; hidden byte dopump; hidden byte ct = NONE; hidden byte ceff; hidden byte keff; hidden byte peff;
        hidden byte t; hidden byte g; hidden byte cbefore; hidden byte pj; hidden byte pk; hidden byte cj;
        hidden byte j2; hidden byte nid; hidden byte aw; hidden byte k; hidden byte used;
        byte conn = C_Idle; bool hasConnected; bool inDoubt; byte ka = K_Inactive;
        byte phase;            /* 0 fresh, 1 ping due, 2 silent for a keepalive period */
        byte net;              /* 0 up, 1 down, 2 half-open */
        bool brokerUp = 1; bool brokerSession; bool brokerSubs;
        byte link;             /* 0 none, 1 open, 2 dead (the client still holds the socket) */
        bool connectIF; byte connAck; /* 0 none, 1 session present, 2 new session, 3 refused 0x03, 4 refused fatal */
        bool connectOut; bool linkAccepted; bool pingReq; bool pingResp;
        bool restorePending = 1; bool restoreSent; bool subIF; bool subAckIF;
        byte published; byte faults;
        byte mst[NMSG]; byte mrep[NMSG]; byte mid[NMSG];
        bool msent[NMSG]; bool mpub[NMSG]; bool mack[NMSG]; bool mbroker[NMSG]; bool mheld[NMSG]; bool mdone[NMSG];
        /* QoS 2: PUBREC, PUBREL, PUBCOMP in flight; PUBREL written once; the broker took PUBREL. The broker's session: the
           identifier it holds for the message until PUBREL (0: none), and whether it delivered the message onward in it. */
        bool mrec[NMSG]; bool mrel[NMSG]; bool mcomp[NMSG]; bool mrelsent[NMSG]; bool mreleased[NMSG];
        byte bid[NMSG]; bool bdel[NMSG];
        #define HEALTHY (net == 0 && brokerUp)
        #define OPEN (link == 1)
        /* The last NQOS2 message slots are QoS 2, the others QoS 1. */
        #define QOS(m) ((m) < NMSG - NQOS2 -> 1 : 2)
        /* Sent on this link and waiting for its answer: what the in-flight window counts. */
        #define AWAITING(s) ((s) == P_AwaitingPubAck || (s) == P_AwaitingPubRec || (s) == P_AwaitingPubComp)
        /* Sent at least once: the states that hold a packet identifier. */
        #define SENT(s) (AWAITING(s) || (s) == P_Resend || (s) == P_ResendQos2 || (s) == P_ResendPubRel)
        #define INFLIGHT(m) (mpub[m] || mack[m] || mrec[m] || mrel[m] || mcomp[m])
        """;

    public const string Composition = """
        /* I3: nothing but CONNECT is written before an accepted CONNACK. */
        inline check_send() { if :: link != 0 -> assert(linkAccepted) :: else fi }

        inline drop_in_flight() {
          connectIF = 0; connAck = 0; pingReq = 0; pingResp = 0; subIF = 0; subAckIF = 0;
          j2 = 0;
          do :: j2 < NMSG -> mpub[j2] = 0; mack[j2] = 0; mrec[j2] = 0; mrel[j2] = 0; mcomp[j2] = 0; j2++ :: else -> break od
        }

        /* The broker's session ends (a new session, a restart without persistence): its held QoS 2 identifiers go with it. */
        inline forget_session() {
          j2 = 0;
          do :: j2 < NMSG -> bid[j2] = 0; bdel[j2] = 0; j2++ :: else -> break od;
          j2 = 0
        }

        inline kill_link() { if :: link == 1 -> link = 2; drop_in_flight() :: else fi }

        inline remove(i) { mheld[i] = 0; mdone[i] = 1; mid[i] = 0; mpub[i] = 0; mack[i] = 0; mrec[i] = 0; mrel[i] = 0; mcomp[i] = 0 }

        /* FirePublish and its effects; a Connection trigger is left in ct for the client loop. */
        inline pub_step(i, t) {
          pub_rows(i, t);
          if
          :: peff == PE_SendPublish || peff == PE_SendPublishDup ->
               assert((peff == PE_SendPublishDup) == msent[i]);   /* I4 */
               assert(!mrelsent[i]);   /* I4: never the PUBLISH again once PUBREL was sent [MQTT-4.3.3-1] */
               assert(!(V5 && (t) == PT_ResponseTimeout));   /* [MQTT-4.4.0-1]: MQTT 5 re-sends only on a new connection */
               /* A re-send on the same link after a timeout counts against MAXREP; any other send starts afresh. */
               mrep[i] = ((t) == PT_ResponseTimeout -> (mrep[i] < MAXREP -> mrep[i] + 1 : MAXREP) : 0);
               msent[i] = 1;
               check_send();
               if :: link == 1 -> mpub[i] = 1 :: else fi
          :: peff == PE_SendPubRel ->
               assert(QOS(i) == 2 && mbroker[i]);   /* I1: PUBREL only for a QoS 2 message the broker has (a PUBREC came) */
               assert(!(V5 && (t) == PT_ResponseTimeout));   /* [MQTT-4.4.0-1] */
               mrep[i] = ((t) == PT_ResponseTimeout -> (mrep[i] < MAXREP -> mrep[i] + 1 : MAXREP) : 0);
               mrelsent[i] = 1;
               check_send();
               if :: link == 1 -> mrel[i] = 1 :: else fi
          :: peff == PE_CompletePublish ->
               assert(((t) == PT_PubAck && QOS(i) == 1 && mbroker[i]) || ((t) == PT_PubComp && QOS(i) == 2 && mreleased[i])); remove(i)   /* I1 */
          :: peff == PE_Withdraw -> assert(!msent[i]); remove(i)                                /* I1 */
          :: peff == PE_AwaitAgain -> assert(V5); mrep[i] = (mrep[i] < MAXREP -> mrep[i] + 1 : MAXREP)
          :: peff == PE_DeclareLinkDead -> ct = CT_RepublishLimitReached
          :: else
          fi
        }

        inline new_id(i) {
          nid = 1;
          do
          :: used = 0; pk = 0;
             do :: pk < NMSG -> if :: mheld[pk] && mid[pk] == nid -> used = 1 :: else fi; pk++ :: else -> break od;
             if :: used -> nid++ :: else -> break fi
          od;
          mid[i] = nid
        }

        /* PumpOutbound: in acceptance order, what the window allows. */
        inline pump() {
          pj = 0;
          do
          :: pj < NMSG && conn == C_Connected ->
             if
             :: mheld[pj] && !AWAITING(mst[pj]) ->
                aw = 0; pk = 0;
                do :: pk < NMSG -> if :: mheld[pk] && AWAITING(mst[pk]) -> aw++ :: else fi; pk++ :: else -> break od;
                if
                :: aw >= WINDOW -> break
                :: else -> if :: mid[pj] == 0 -> new_id(pj) :: else fi; pub_step(pj, PT_Transmit)
                fi
             :: else
             fi;
             pj++
          :: else -> break
          od
        }

        inline ka_step(t) {
          ka_rows(t);
          if
          :: keff == KE_SendPingReq -> check_send(); if :: link == 1 -> pingReq = 1 :: else fi
          :: keff == KE_DeclareLinkDead -> ct = CT_KeepAliveExpired
          :: else
          fi
        }

        inline link_up(present) {
          hasConnected = 1; inDoubt = 0; phase = 0;
          ka_step(KT_LinkUp);
          if :: !(present) -> restorePending = 1 :: else fi;
          if
          :: conn == C_Connected && restorePending && !restoreSent -> restoreSent = 1; check_send(); if :: link == 1 -> subIF = 1 :: else fi
          :: else
          fi;
          pump()
        }

        inline close_link() {
          link = 0; drop_in_flight(); linkAccepted = 0; if :: connectOut -> inDoubt = 1 :: else fi; connectOut = 0;
          ka_step(KT_LinkDown);
          cj = 0;
          do :: cj < NMSG -> if :: mheld[cj] -> pub_step(cj, PT_LinkLost) :: else fi; cj++ :: else -> break od;
          restoreSent = 0
        }

        inline conn_step(t) {
          cbefore = conn;
          conn_rows(t);
          if
          :: ceff == CE_SendConnect -> assert(!connectOut); connectOut = 1; if :: link == 1 -> connectIF = 1 :: else fi   /* I3 */
          :: ceff == CE_ResumeSession || ceff == CE_StartNewSession || ceff == CE_ResumeSessionInDoubt -> link_up(ceff == CE_ResumeSession)
          :: ceff == CE_CloseAndBackoff || ceff == CE_FailConnect || ceff == CE_GiveUpConnect || ceff == CE_CloseGracefully || ceff == CE_StopReconnecting -> close_link()
          :: ceff == CE_SendDisconnect -> check_send()
          :: ceff == CE_Shutdown -> assert(false)   /* DisposeAsync is not modeled: held messages would be dropped */
          :: else
          fi;
          assert(cbefore == C_Connected || conn != C_Connected || brokerSubs || restorePending)   /* I8 */
        }

        inline state_invariants() {
          k = 0;
          do
          :: k < NMSG ->
             assert(!mheld[k] || mst[k] == P_Queued || SENT(mst[k])
                    || (mst[k] == P_Acked && (QOS(k) == 1 -> mbroker[k] : mreleased[k])) || (mst[k] == P_Withdrawn && !msent[k]));   /* I1 */
             assert(!mheld[k] || !SENT(mst[k]) || mid[k] != 0);    /* I2 */
             pk = 0;
             do :: pk < k -> assert(!(mheld[k] && mheld[pk] && mid[k] != 0 && mid[k] == mid[pk])); pk++ :: else -> break od;
             k++
          :: else -> break
          od;
          assert(!(connectOut && linkAccepted))   /* I3 */
        }

        /* The connection loop's handling of one event: every event process runs it inside its own d_step, so each event is one
           transition and spin's weak fairness applies to each event class. */
        inline step() {
          if :: kt != NONE -> if :: kt == KT_PacketReceived -> phase = 0 :: else fi; ka_step(kt) :: else fi;
          if
          :: rx && ((conn == C_AwaitingConnAck) != (ev == E_ConnAck)) ->
               if :: ct == NONE -> ct = CT_ProtocolViolation :: else fi; pt = NONE; dopump = 0
          :: rx && conn == C_AwaitingConnAck && ev == E_ConnAck ->
               linkAccepted = (rxAck == 1 || rxAck == 2);
               ct = (rxAck == 1 -> CT_ConnAckSessionPresent : (rxAck == 2 -> CT_ConnAckNewSession : (rxAck == 3 -> CT_ConnAckRefusedRetryable : CT_ConnAckRefusedFatal)))
          :: rx && conn != C_AwaitingConnAck && ev == E_SubAck -> if :: restoreSent -> restorePending = 0; restoreSent = 0 :: else fi
          :: else
          fi;
          if :: pt != NONE -> pub_step(pi, pt) :: else fi;
          if :: dopump -> pump() :: else fi;
          do :: ct != NONE -> t = ct; ct = NONE; conn_step(t) :: else -> break od;
          if :: ka == K_Inactive -> phase = 0 :: else fi;
          state_invariants();
          ev = NONE; kt = NONE; pt = NONE; rx = 0; dopump = 0; rxAck = 0; kval = 0; pi = 0; ceff = 0; keff = 0; peff = 0;
          t = 0; g = 0; cbefore = 0; pj = 0; pk = 0; cj = 0; j2 = 0; nid = 0; aw = 0; k = 0; used = 0
        }

        /* One process per event class: spin's weak fairness is then fairness per event. */
        active proctype app_connect() { do :: d_step { true -> ev = E_AppConnect; ct = CT_Connect; step() } od }
        active proctype app_publish() {
          do :: d_step { published < NMSG -> mheld[published] = 1; mst[published] = P_Queued; published++; dopump = 1; ev = E_AppPublish; step() } od
        }
        active proctype backoff_elapsed() { do :: d_step { conn == C_Backoff -> ct = CT_BackoffElapsed; ev = E_Timer; step() } od }
        /* Timing assumption: a healthy link answers within the response time. */
        active proctype connection_timeout() {
          do :: d_step { ((conn == C_Connecting && !HEALTHY) || (conn == C_AwaitingConnAck && !(OPEN && (connectIF || connAck != 0)))
                         || (conn == C_Connected && restoreSent && !(OPEN && (subIF || subAckIF))) || (conn == C_Disconnecting && !OPEN))
                         -> ct = CT_ResponseTimeout; ev = E_Timer; step() } od
        }
        proctype response_timeout(byte i) {
          do :: d_step { conn == C_Connected && mheld[i] && AWAITING(mst[i]) && !(OPEN && INFLIGHT(i))
                         -> pi = i; pt = PT_ResponseTimeout; ev = E_Timer; step() } od
        }
        active proctype tick_within() {
          do :: d_step { ka != K_Inactive && (phase == 0 || (phase == 1 && ka == K_PingOutstanding)) -> kval = KG_WithinPingInterval; kt = KT_Tick; ev = E_Timer; step() } od
        }
        active proctype tick_ping() { do :: d_step { ka != K_Inactive && phase != 2 -> kval = KG_PingIntervalElapsed; kt = KT_Tick; ev = E_Timer; step() } od }
        active proctype tick_dead() { do :: d_step { ka != K_Inactive && phase == 2 -> kval = KG_KeepAliveElapsed; kt = KT_Tick; ev = E_Timer; step() } od }
        active proctype clock() {
          do :: d_step { ka != K_Inactive && (phase == 0 || (phase == 1 && ka == K_PingOutstanding && !(OPEN && (pingReq || pingResp)))) -> phase++ } od
        }
        active proctype socket_pending() { do :: d_step { (conn == C_Connecting || link != 0) -> ct = CT_SocketPending; ev = E_Timer; step() } od }
        active proctype socket_opened() { do :: d_step { conn == C_Connecting && HEALTHY -> link = 1; ct = CT_SocketOpened; ev = E_Timer; step() } od }
        active proctype connect_failed() { do :: d_step { conn == C_Connecting && !HEALTHY -> ct = CT_LinkLost; ev = E_Timer; step() } od }
        active proctype link_error() { do :: d_step { link == 2 && net != 2 -> ct = CT_LinkLost; ev = E_Timer; step() } od }

        active proctype deliver_connect() {
          do :: d_step { OPEN && brokerUp && connectIF ->
                 connectIF = 0;
                 if :: !CLEAN && brokerSession -> connAck = 1 :: else -> brokerSession = 1; brokerSubs = 0; forget_session(); connAck = 2 fi } od
        }
        active proctype deliver_connack() {
          do :: d_step { OPEN && connAck != 0 -> rxAck = connAck; connAck = 0; connectOut = 0; rx = 1; kt = KT_PacketReceived; ev = E_ConnAck; step() } od
        }
        /* The broker takes message i's PUBLISH or PUBREL (one process: at most one of them is in flight at a time). A QoS 2
           PUBLISH with an identifier the session does not hold is delivered onward and held until PUBREL; a held one is a
           re-send, not delivered again [MQTT-4.3.3-2]; both are answered PUBREC. PUBREL releases it and is answered PUBCOMP. */
        proctype deliver_to_broker(byte i) {
          do
          :: d_step { OPEN && brokerUp && mpub[i] ->
               mpub[i] = 0; mbroker[i] = 1;
               if
               :: QOS(i) == 1 -> mack[i] = 1
               :: else ->
                  if
                  :: bid[i] == 0 ->
                     pk = 0;
                     do :: pk < NMSG -> assert(bid[pk] != mid[i]); pk++ :: else -> break od;   /* I2: not an identifier held for another message */
                     /* exactly once: not delivered before in this session */
                     assert(!bdel[i]);   /* I9 */
                     bdel[i] = 1; bid[i] = mid[i]; pk = 0
                  :: else
                  fi;
                  mrec[i] = 1
               fi }
          :: d_step { OPEN && brokerUp && mrel[i] -> mrel[i] = 0; bid[i] = 0; mreleased[i] = 1; mcomp[i] = 1 }
          od
        }
        /* The engine receives message i's PUBACK, PUBREC or PUBCOMP. At most one of them is in flight at a time, so one
           alternative takes whichever it is: step() is expanded once, not three times (pan.c's size is gcc's time). */
        proctype deliver_to_client(byte i) {
          do :: d_step { OPEN && (mack[i] || mrec[i] || mcomp[i]) ->
                 if
                 :: mack[i] -> mack[i] = 0; pt = PT_PubAck
                 :: else -> if :: mrec[i] -> mrec[i] = 0; pt = PT_PubRec :: else -> mcomp[i] = 0; pt = PT_PubComp fi
                 fi;
                 rx = 1; kt = KT_PacketReceived; pi = i; dopump = 1; ev = E_PubAck; step() } od
        }
        active proctype deliver_pingreq() { do :: d_step { OPEN && brokerUp && pingReq -> pingReq = 0; pingResp = 1 } od }
        active proctype deliver_pingresp() { do :: d_step { OPEN && pingResp -> pingResp = 0; rx = 1; kt = KT_PacketReceived; ev = E_Other; step() } od }
        active proctype deliver_subscribe() { do :: d_step { OPEN && brokerUp && subIF -> subIF = 0; brokerSubs = 1; subAckIF = 1 } od }
        active proctype deliver_suback() { do :: d_step { OPEN && subAckIF -> subAckIF = 0; rx = 1; kt = KT_PacketReceived; ev = E_SubAck; step() } od }

        /* Faults, at most MAXFAULTS per run; heals are fair, so every run ends healthy. */
        active proctype fault() {
          do
          :: d_step { faults < MAXFAULTS && net != 1 -> faults++; net = 1; kill_link() }
          :: d_step { faults < MAXFAULTS && net != 2 -> faults++; net = 2; kill_link() }
          :: d_step { faults < MAXFAULTS && brokerUp -> faults++; brokerUp = 0; kill_link() }
          :: d_step { faults < MAXFAULTS && brokerUp -> faults++; brokerUp = 0; brokerSession = 0; brokerSubs = 0; forget_session(); kill_link() }
          :: d_step { faults < MAXFAULTS && OPEN && brokerUp && connectIF -> faults++; connectIF = 0; connAck = 3 }
          :: d_step { faults < MAXFAULTS && OPEN && brokerUp && connectIF -> faults++; connectIF = 0; connAck = 4 }
          :: d_step { faults < MAXFAULTS && conn == C_Connecting && net == 1 -> faults++; ct = CT_ConfigurationError; ev = E_Fault; step() }
          :: d_step { faults < MAXFAULTS && OPEN -> faults++; kill_link(); ct = CT_LinkLost; ev = E_Fault; step() }
          :: d_step { faults < MAXFAULTS && OPEN -> faults++; ct = CT_ProtocolViolation; ev = E_Fault; step() }
          od
        }
        active proctype heal_network() { do :: d_step { net != 0 -> net = 0 } od }
        active proctype heal_broker() { do :: d_step { !brokerUp -> brokerUp = 1 } od }

        init {
          byte n = 0;
          atomic {
            do
            :: n < NMSG -> run response_timeout(n); run deliver_to_broker(n); run deliver_to_client(n); n++
            :: else -> break
            od
          }
        }
        """;
}
