using StateMachineMqtt.Spec;

// Plain fields on purpose: these are compact value types the checker copies millions of times and packs into 64 bits.
#pragma warning disable CA1051

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>The network as the client sees it.</summary>
public enum Network : byte
{
    /// <summary>Working.</summary>
    Up,
    /// <summary>Down: open links die and the socket error surfaces.</summary>
    Down,
    /// <summary>Half-open: open links die silently; only keepalive or the re-publish limit can tell.</summary>
    HalfOpen,
}

/// <summary>The client's socket, abstracted.</summary>
public enum Link : byte
{
    /// <summary>No socket.</summary>
    None,
    /// <summary>Open end to end: packets written are delivered.</summary>
    Open,
    /// <summary>The client still holds the socket, but the flow is dead: what was in flight is lost, what is written vanishes.</summary>
    Dead,
}

/// <summary>A CONNACK on its way to the client.</summary>
public enum ConnAckInFlight : byte
{
    /// <summary>None.</summary>
    None,
    /// <summary>Accepted, session present = 1.</summary>
    SessionPresent,
    /// <summary>Accepted, session present = 0.</summary>
    NewSession,
    /// <summary>Refused with 0x03.</summary>
    RefusedRetryable,
    /// <summary>Refused with 0x01, 0x02, 0x04 or 0x05.</summary>
    RefusedFatal,
}

/// <summary>Where the abstract clock stands relative to the last packet received.</summary>
public enum ClockPhase : byte
{
    /// <summary>Something was received within the ping interval.</summary>
    Fresh,
    /// <summary>Nothing received for a ping interval.</summary>
    PingDue,
    /// <summary>Nothing received for a whole keepalive period.</summary>
    Dead,
}

/// <summary>One held QoS 1 message: its Publish-table state and what the model tracks about it.</summary>
public struct HeldMessage
{
    /// <summary>State in the Publish table.</summary>
    public PublishState State;
    /// <summary>Re-sends on this link, 0..MaxRepublishes (the bounded counter behind RepublishesLeft / Exhausted).</summary>
    public byte Republishes;
    /// <summary>Packet identifier, 0 before it enters the window.</summary>
    public byte PacketId;
    /// <summary>Written at least once (so any further send must carry DUP, I4).</summary>
    public bool Sent;
    /// <summary>A PUBLISH for it is on its way to the broker.</summary>
    public bool PublishInFlight;
    /// <summary>A PUBACK for it is on its way to the client.</summary>
    public bool PubAckInFlight;
    /// <summary>The broker has received it at least once.</summary>
    public bool BrokerHasIt;
}

/// <summary>
/// One state of the composed system: client machines, environment and packets in flight, packed into 64 bits for hashing.
/// Held messages are kept in acceptance order, as the client's held list is.
/// </summary>
public struct SystemState
{
    /// <summary>Most messages held at once.</summary>
    public const int MaxMessages = 3;

    /// <summary>Connection machine state.</summary>
    public ConnectionState Connection;
    /// <summary>A CONNACK has accepted this client before (the NeverConnected / HasConnectedBefore guards).</summary>
    public bool HasConnected;
    /// <summary>KeepAlive machine state.</summary>
    public KeepAliveState KeepAlive;
    /// <summary>Abstract clock.</summary>
    public ClockPhase Phase;
    /// <summary>Network.</summary>
    public Network Net;
    /// <summary>Broker process running.</summary>
    public bool BrokerUp;
    /// <summary>The broker holds a session for this client.</summary>
    public bool BrokerSession;
    /// <summary>That session holds the client's subscriptions.</summary>
    public bool BrokerSubscriptions;
    /// <summary>The client's socket.</summary>
    public Link Link;
    /// <summary>CONNECT on its way to the broker.</summary>
    public bool ConnectInFlight;
    /// <summary>CONNACK on its way to the client.</summary>
    public ConnAckInFlight ConnAck;
    /// <summary>CONNECT written on this link and not yet answered (I3: at most one).</summary>
    public bool ConnectOutstanding;
    /// <summary>A CONNECT died unanswered since the last accepted CONNACK (the SessionTrusted / SessionInDoubt guards).</summary>
    public bool SessionInDoubt;
    /// <summary>An accepted CONNACK has arrived on this link (I3: before it, only CONNECT may be written).</summary>
    public bool LinkAccepted;
    /// <summary>PINGREQ on its way.</summary>
    public bool PingReqInFlight;
    /// <summary>PINGRESP on its way.</summary>
    public bool PingRespInFlight;
    /// <summary>The client must restore its subscriptions (a SUBSCRIBE not yet acknowledged).</summary>
    public bool RestorePending;
    /// <summary>That SUBSCRIBE has been written on this link.</summary>
    public bool RestoreSent;
    /// <summary>SUBSCRIBE on its way.</summary>
    public bool SubscribeInFlight;
    /// <summary>SUBACK on its way.</summary>
    public bool SubAckInFlight;
    /// <summary>Number of held messages.</summary>
    public int Count;
    private HeldMessage _m0, _m1, _m2;

    /// <summary>
    /// The initial state: client Idle, network and broker up, broker without a session. The application has called SubscribeAsync
    /// before ConnectAsync, so a SUBSCRIBE is pending: like a restore, it is written on every link until its SUBACK arrives.
    /// </summary>
    public static SystemState Initial => new() { Connection = ConnectionTable.Initial, KeepAlive = KeepAliveTable.Initial, BrokerUp = true, RestorePending = true };

    /// <summary>True when the network and broker are both up.</summary>
    public readonly bool Healthy => Net == Network.Up && BrokerUp;

    /// <summary>Message <paramref name="i"/> in acceptance order.</summary>
    public readonly HeldMessage Get(int i) => i switch { 0 => _m0, 1 => _m1, 2 => _m2, _ => throw new ArgumentOutOfRangeException(nameof(i)) };

    /// <summary>Replaces message <paramref name="i"/>.</summary>
    public void Set(int i, HeldMessage m)
    {
        switch (i)
        {
            case 0: _m0 = m; break;
            case 1: _m1 = m; break;
            case 2: _m2 = m; break;
            default: throw new ArgumentOutOfRangeException(nameof(i));
        }
    }

    /// <summary>Appends a message.</summary>
    public void Add(HeldMessage m) => Set(Count++, m);

    /// <summary>Removes message <paramref name="i"/>, keeping the others in order.</summary>
    public void RemoveAt(int i)
    {
        for (int j = i; j < Count - 1; j++)
        {
            Set(j, Get(j + 1));
        }

        Set(--Count, default);
    }

    /// <summary>Packs the state into 64 bits (27 bits of client and environment, 2 of count, 11 per message).</summary>
    public readonly ulong Encode()
    {
        ulong b = 0;
        int at = 0;
        void Put(ulong value, int bits)
        {
            b |= value << at;
            at += bits;
        }

        Put((ulong)Connection, 3); Put(Bit(HasConnected), 1); Put((ulong)KeepAlive, 2); Put((ulong)Phase, 2); Put((ulong)Net, 2);
        Put(Bit(BrokerUp), 1); Put(Bit(BrokerSession), 1); Put(Bit(BrokerSubscriptions), 1); Put((ulong)Link, 2);
        Put(Bit(ConnectInFlight), 1); Put((ulong)ConnAck, 3); Put(Bit(ConnectOutstanding), 1); Put(Bit(SessionInDoubt), 1); Put(Bit(LinkAccepted), 1);
        Put(Bit(PingReqInFlight), 1); Put(Bit(PingRespInFlight), 1); Put(Bit(RestorePending), 1); Put(Bit(RestoreSent), 1);
        Put(Bit(SubscribeInFlight), 1); Put(Bit(SubAckInFlight), 1); Put((ulong)Count, 2);
        for (int i = 0; i < MaxMessages; i++)
        {
            HeldMessage m = Get(i);
            Put((ulong)m.State, 3); Put(m.Republishes, 2); Put(m.PacketId, 2); Put(Bit(m.Sent), 1);
            Put(Bit(m.PublishInFlight), 1); Put(Bit(m.PubAckInFlight), 1); Put(Bit(m.BrokerHasIt), 1);
        }

        return b;
    }

    /// <summary>Unpacks <see cref="Encode"/>.</summary>
    public static SystemState Decode(ulong b)
    {
        int at = 0;
        ulong Take(int bits)
        {
            ulong v = (b >> at) & ((1UL << bits) - 1);
            at += bits;
            return v;
        }

        var s = new SystemState
        {
            Connection = (ConnectionState)Take(3), HasConnected = Take(1) != 0, KeepAlive = (KeepAliveState)Take(2), Phase = (ClockPhase)Take(2),
            Net = (Network)Take(2), BrokerUp = Take(1) != 0, BrokerSession = Take(1) != 0, BrokerSubscriptions = Take(1) != 0, Link = (Link)Take(2),
            ConnectInFlight = Take(1) != 0, ConnAck = (ConnAckInFlight)Take(3), ConnectOutstanding = Take(1) != 0, SessionInDoubt = Take(1) != 0, LinkAccepted = Take(1) != 0,
            PingReqInFlight = Take(1) != 0, PingRespInFlight = Take(1) != 0, RestorePending = Take(1) != 0, RestoreSent = Take(1) != 0,
            SubscribeInFlight = Take(1) != 0, SubAckInFlight = Take(1) != 0, Count = (int)Take(2),
        };
        for (int i = 0; i < MaxMessages; i++)
        {
            s.Set(i, new HeldMessage
            {
                State = (PublishState)Take(3), Republishes = (byte)Take(2), PacketId = (byte)Take(2), Sent = Take(1) != 0,
                PublishInFlight = Take(1) != 0, PubAckInFlight = Take(1) != 0, BrokerHasIt = Take(1) != 0,
            });
        }

        return s;
    }

    /// <summary>A one-line description for traces.</summary>
    public override readonly string ToString()
    {
        var parts = new List<string> { $"{Connection}", $"ka={KeepAlive}/{Phase}", $"net={Net}", BrokerUp ? "broker=up" : "broker=down" };
        if (BrokerSession) { parts.Add(BrokerSubscriptions ? "session+subs" : "session"); }
        if (Link != Link.None) { parts.Add($"link={Link}{(LinkAccepted ? "(accepted)" : "")}"); }
        if (ConnectInFlight) { parts.Add("CONNECT>"); }
        if (ConnAck != ConnAckInFlight.None) { parts.Add($"<CONNACK({ConnAck})"); }
        if (PingReqInFlight) { parts.Add("PINGREQ>"); }
        if (PingRespInFlight) { parts.Add("<PINGRESP"); }
        if (RestorePending) { parts.Add(RestoreSent ? "restore(sent)" : "restore(pending)"); }
        if (SubscribeInFlight) { parts.Add("SUBSCRIBE>"); }
        if (SubAckInFlight) { parts.Add("<SUBACK"); }
        for (int i = 0; i < Count; i++)
        {
            HeldMessage m = Get(i);
            parts.Add($"m{i}:{m.State}(id={m.PacketId},rep={m.Republishes}{(m.Sent ? ",sent" : "")}{(m.PublishInFlight ? ",PUBLISH>" : "")}{(m.PubAckInFlight ? ",<PUBACK" : "")}{(m.BrokerHasIt ? ",at-broker" : "")})");
        }

        return string.Join(' ', parts);
    }

    private static ulong Bit(bool value) => value ? 1UL : 0UL;
}
