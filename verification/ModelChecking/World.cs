using StateMachineMqtt.Engine;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Verification.ModelChecking;

/// <summary>The network, as the engine's links see it.</summary>
public enum Network : byte
{
    /// <summary>Working.</summary>
    Up,
    /// <summary>Down: open links die and their errors surface; connects fail; names do not resolve.</summary>
    Down,
    /// <summary>Half-open: open links die silently; connects get no answer. Only keepalive or the re-publish limit can tell.</summary>
    HalfOpen,
}

/// <summary>The one link the engine may have, as the environment sees it.</summary>
public enum LinkPhase : byte
{
    /// <summary>No link (the engine closed it, or never opened one).</summary>
    None,
    /// <summary>The engine asked to open it; the socket has not answered yet.</summary>
    Opening,
    /// <summary>Open end to end: what is written reaches the broker, in order, and its answers come back in order.</summary>
    Open,
    /// <summary>The flow died (network down or half-open, broker gone): what was in flight is lost and what is written vanishes.</summary>
    Dead,
    /// <summary>The socket reported its end (an error, end of stream): nothing more comes from it until the engine closes it.</summary>
    Gone,
}

/// <summary>A packet on its way (either direction), or end of stream (<see cref="PacketKind.None"/>) from the broker.</summary>
internal sealed class Packet
{
    public PacketKind Kind;
    public ModelMessage? Message;
    public int PacketId;
    public bool Dup;
    public bool CleanSession;
    public bool SessionPresent;
    public int ReturnCode;
    public string[]? Filters;
    public int Link;
    /// <summary>A PUBACK, PUBREC or PUBCOMP the lossy broker sent twice (each copy may be sent twice only once).</summary>
    public bool Duplicated;
    /// <summary>The broker's message a packet of an inbound flow belongs to (its PUBLISH, PUBREL, or the client's PUBACK, PUBREC, PUBCOMP), if any.</summary>
    public InboundRecord? Inbound;
}

/// <summary>Where the broker's session is with one message it publishes to the client (inbound to the engine).</summary>
internal enum BrokerPhase : byte
{
    /// <summary>PUBLISH sent: held until PUBACK (QoS 1) or PUBREC (QoS 2), re-sent with DUP on every reconnect with the session present.</summary>
    AwaitingAck,
    /// <summary>QoS 2: PUBREC received, PUBREL sent: held until PUBCOMP, PUBREL re-sent on every reconnect with the session present.</summary>
    AwaitingPubComp,
    /// <summary>The exchange is over: the identifier is free.</summary>
    Done,
    /// <summary>The session that held it ended before the exchange did (a clean or new session, a restart without persistence).</summary>
    Dropped,
}

/// <summary>What the model knows of one message the broker publishes to the client.</summary>
internal sealed class InboundRecord
{
    /// <summary>Creation order (bounded by the options): also its topic, "in/n", by which the application's copy is known.</summary>
    public int Number;
    public int Qos;
    public BrokerPhase Phase;
    /// <summary>The broker's packet identifier while its session holds the message; 0 once done or dropped.</summary>
    public int Id;
    /// <summary>The engine accepted a PUBLISH of it while connected (so, for QoS 2, it holds a receipt until PUBREL).</summary>
    public bool Received;
    /// <summary>The link its last PUBLISH reached the engine on: its PUBACK or PUBREC may go only there [MQTT-4.4.0-1].</summary>
    public int ClientLink;
    /// <summary>The application took it (QoS 2: a second time breaks exactly once, I9).</summary>
    public bool Taken;
    /// <summary>QoS 2: the engine handled a PUBREL for it while connected: its receipt may go.</summary>
    public bool PubRelHandled;

    public bool HeldByBroker => Phase is BrokerPhase.AwaitingAck or BrokerPhase.AwaitingPubComp;

    public string Topic => "in/" + Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What the model knows of one message the application published (accepted by the engine).</summary>
internal sealed class ModelMessage
{
    public OutboundMessage Message = null!;
    /// <summary>Acceptance order over the whole run, for traces only (not part of the state).</summary>
    public int Number;
    /// <summary>A PUBLISH for it has been written at least once (so every later one must carry DUP, I4).</summary>
    public bool Sent;
    /// <summary>The broker has received it (and answered PUBACK, or PUBREC).</summary>
    public bool AtBroker;
    /// <summary>QoS 2: a PUBREL for it has been written (so its PUBLISH must never be written again, I4 [MQTT-4.3.3-1]).</summary>
    public bool PubRelSent;
    /// <summary>QoS 2: the broker has received its PUBREL (and answered PUBCOMP): only now may PublishAsync complete.</summary>
    public bool Released;
    /// <summary>
    /// QoS 2: the packet identifier the broker's session holds for it, from its first PUBLISH until its PUBREL (0: none).
    /// A PUBLISH with a held identifier is a re-send of the same message: answered PUBREC, not delivered again [MQTT-4.3.3-2].
    /// </summary>
    public int BrokerHeldId;
    /// <summary>QoS 2: the broker delivered it onward in its current session (a second delivery there breaks exactly once, I9).</summary>
    public bool DeliveredInSession;
    /// <summary>Its caller cancelled.</summary>
    public bool Cancelled;
    /// <summary>PublishCompleted was heard.</summary>
    public bool Completed;
    /// <summary>It was withdrawn (cancelled before it was ever sent).</summary>
    public bool Withdrawn;
    /// <summary>Its QoS (0, 1 or 2).</summary>
    public int Qos;
    /// <summary>QoS 0: the engine heard that its PUBLISH was written.</summary>
    public bool Written;

    public bool Finished => Completed || Withdrawn;

    /// <summary>The broker has done its part: PUBACK sent (QoS 1), or PUBREL taken and PUBCOMP sent (QoS 2).</summary>
    public bool Acknowledged => Qos == 2 ? Released : AtBroker;
}

/// <summary>
/// One state of the composed system: the session engine — the code users run, with the machines built from the tables —
/// and an environment model around it of network, broker, time and application. The world drives the engine as a
/// driver does: it calls the engine's handlers and commands with the time, and carries out what the engine's polls ask
/// (links opened and closed, packets put in flight), checking each action and event as it goes. Events are in
/// World.Events.cs; the driver and the invariants in World.Driver.cs. The whole world is copied to fork a state
/// (<see cref="WorldCopier"/>): every field is state, except the per-step scratch (<see cref="Log"/>, the violation).
/// </summary>
internal sealed partial class World
{
    /// <summary>The application's one subscription, requested before its first connect.</summary>
    public const string Filter = "a";

    private readonly ModelOptions _options;

    private World(ModelOptions options, IMachineFactory machines)
    {
        _options = options;
        _eventMask = options.EventMask;
        Engine = new SessionEngine(options.EngineOptions(), machines, new LowestJitter());
        Subscription = SubscriptionRequest.Subscribe([Filter], [1], new object());
        Engine.Request(Subscription, Now);
        Drain();
    }

    public SessionEngine Engine { get; }

    /// <summary>The driver's clock (ms): moved only by the Timeout events, to the engine's next deadline.</summary>
    public long Now { get; private set; }

    public Network Net { get; private set; }

    public bool BrokerUp { get; private set; } = true;

    /// <summary>The broker holds a session for this client.</summary>
    public bool BrokerSession { get; private set; }

    /// <summary>That session holds the subscription to <see cref="Filter"/>.</summary>
    public bool BrokerSubscribed { get; private set; }

    public LinkPhase Phase { get; private set; }

    /// <summary>The engine's number for the link (the environment reports results with it).</summary>
    public int LinkNumber { get; private set; }

    /// <summary>A CONNACK accepting the link has arrived on it (I3: before it, only CONNECT may be written).</summary>
    public bool Accepted { get; private set; }

    public bool ConnectWritten { get; private set; }

    public bool DisconnectWritten { get; private set; }

    /// <summary>SUBSCRIBE packets written on the link (I10: one subscription, so at most one).</summary>
    public int SubscribesWritten { get; private set; }

    /// <summary>The broker closed its end (after a refusal or DISCONNECT): it reads nothing more.</summary>
    public bool BrokerClosed { get; private set; }

    public List<Packet> ToBroker { get; } = [];

    public List<Packet> ToClient { get; } = [];

    /// <summary>Writes the engine asked to hear about (DISCONNECT), oldest first.</summary>
    public List<Packet> Unwritten { get; } = [];

    public bool ConnectPending { get; private set; }

    /// <summary>The application has been told to connect (again): at the start, after ConnectFailed, after its disconnect completed.</summary>
    public bool WantsConnect { get; private set; } = true;

    /// <summary>When the engine last received a packet (I5: connected, it must not go a keepalive period without one).</summary>
    public long LastHeard { get; private set; }

    public bool DisconnectPending { get; private set; }

    /// <summary>The application's SUBSCRIBE, and whether it has completed.</summary>
    public SubscriptionRequest Subscription { get; }

    public bool Subscribed { get; private set; }

    /// <summary>The application's UNSUBSCRIBE (ModelOptions.Unsubscribe), once asked; and whether it has completed.</summary>
    public SubscriptionRequest? Unsubscription { get; private set; }

    public bool Unsubscribed { get; private set; }

    /// <summary>The broker accepted a CONNECT on the current link (it publishes only then).</summary>
    public bool BrokerConnected { get; private set; }

    /// <summary>The messages the broker published to the client (ModelOptions.InboundQos2Messages, InboundQos1Messages), in creation order.</summary>
    public List<InboundRecord> Inbound { get; } = [];

    /// <summary>The messages the engine accepted and the model still cares about, in acceptance order.</summary>
    public List<ModelMessage> Messages { get; } = [];

    /// <summary>
    /// False while this world shares its engine with another (a copy of the environment alone was made from it, or it is
    /// one): then only events that do not touch the engine may be applied to it in place. Not part of the state.
    /// </summary>
    public bool OwnsEngine { get; set; } = true;

    /// <summary>The types a copy of the environment alone copies (everything else in a world belongs to the engine or is immutable).</summary>
    public static Type[] EnvironmentTypes => [typeof(World), typeof(Packet), typeof(ModelMessage), typeof(List<Packet>), typeof(List<ModelMessage>), typeof(Packet[]), typeof(ModelMessage[]),
        typeof(InboundRecord), typeof(List<InboundRecord>), typeof(InboundRecord[])];

    /// <summary>Scratch of the trace replay: what each step did, in words. Null while exploring.</summary>
    public List<string>? Log { get; set; }

    public bool Healthy => Net == Network.Up && BrokerUp;

    /// <summary>A healthy link is about to answer: the socket opening, a packet either way, a write completing.</summary>
    public bool AnswerOnItsWay => Healthy && (Phase == LinkPhase.Opening || (Phase == LinkPhase.Open && (ToBroker.Count > 0 || ToClient.Count > 0)) || Unwritten.Count > 0);

    /// <summary>The initial state: engine Idle with the application's SUBSCRIBE queued; network and broker up; no session.</summary>
    public static World Initial(ModelOptions options, IMachineFactory machines) => new(options, machines);

    /// <summary>Writes the world canonically: the engine's fingerprint, then the environment's with the engine's renaming.</summary>
    public void Fingerprint(IFingerprintSink sink)
    {
        Engine.Fingerprint(sink);
        FingerprintEnvironment(sink);
    }

    /// <summary>The environment's (and the application's) part of the fingerprint.</summary>
    public void FingerprintEnvironment(IFingerprintSink sink)
    {
        OutboundMessage[] held = Engine.SnapshotHeld();
        sink.Add("net", (int)Net);
        sink.Add("brokerUp", Bit(BrokerUp));
        sink.Add("brokerSession", Bit(BrokerSession));
        sink.Add("brokerSubscribed", Bit(BrokerSubscribed));
        sink.Add("phase", (int)Phase);
        if (Phase != LinkPhase.None)
        {
            sink.Add("linkBehind", Engine.Link - LinkNumber);
            sink.Add("accepted", Bit(Accepted));
            sink.Add("connectWritten", Bit(ConnectWritten));
            sink.Add("disconnectWritten", Bit(DisconnectWritten));
            sink.Add("subscribesWritten", SubscribesWritten);
            sink.Add("brokerClosed", Bit(BrokerClosed));
            if (_options.Inbound)
            {
                sink.Add("brokerConnected", Bit(BrokerConnected));
            }
        }

        Packets(sink, "toBroker", ToBroker, fromClient: true);
        Packets(sink, "toClient", ToClient, fromClient: false);
        Packets(sink, "unwritten", Unwritten, fromClient: true);
        if (_options.Inbound)
        {
            // Inbound identifiers are the broker's, lowest free first, so written by value (as the engine writes its receipts).
            sink.Add("inbound", Inbound.Count);
            foreach (InboundRecord r in Inbound)
            {
                sink.Add("qos", r.Qos);
                sink.Add("phase", (int)r.Phase);
                sink.Add("id", r.Id);
                sink.Add("received", Bit(r.Received));
                sink.Add("clientLink", r.ClientLink == 0 ? 0 : r.ClientLink == LinkNumber ? 1 : 2); // none / current / older: only equality is judged
                sink.Add("taken", Bit(r.Taken));
                sink.Add("pubRelHandled", Bit(r.PubRelHandled));
            }
        }
        sink.Add("connectPending", Bit(ConnectPending));
        sink.Add("wantsConnect", Bit(WantsConnect));
        if (Engine.IsConnected)
        {
            sink.Add("sinceHeard", Math.Min(Now - LastHeard, _options.KeepAliveMs + 1));
        }

        sink.Add("disconnectPending", Bit(DisconnectPending));
        sink.Add("subscribed", Bit(Subscribed));
        sink.Add("unsubscribing", Bit(Unsubscription is not null));
        sink.Add("unsubscribed", Bit(Unsubscribed));
        sink.Add("messages", Messages.Count);
        foreach (ModelMessage m in Messages)
        {
            sink.Add("heldAt", Array.IndexOf(held, m.Message));
            sink.Add("sent", Bit(m.Sent));
            sink.Add("atBroker", Bit(m.AtBroker));
            sink.Add("cancelled", Bit(m.Cancelled));
            sink.Add("completed", Bit(m.Completed));
            sink.Add("withdrawn", Bit(m.Withdrawn));
            sink.Add("qos", m.Qos);
            sink.Add("written", Bit(m.Written));
            if (m.Qos == 2)
            {
                sink.Add("pubRelSent", Bit(m.PubRelSent));
                sink.Add("released", Bit(m.Released));
                sink.Add("brokerHolds", Bit(m.BrokerHeldId != 0));
                sink.Add("brokerHeldId", Engine.FingerprintRank(m.BrokerHeldId));
                sink.Add("delivered", Bit(m.DeliveredInSession));
            }
        }

        void Packets(IFingerprintSink sink, string name, List<Packet> packets, bool fromClient)
        {
            sink.Add(name, packets.Count);
            foreach (Packet p in packets)
            {
                sink.Add("kind", (int)p.Kind);
                sink.Add("message", p.Message is null ? -1 : Messages.IndexOf(p.Message));
                // Packets of inbound flows carry the broker's identifiers, by value; the rest the engine's, by rank.
                bool brokerNumbered = fromClient ? p.Kind is PacketKind.PubAck or PacketKind.PubRec or PacketKind.PubComp : p.Kind is PacketKind.Publish or PacketKind.PubRel;
                sink.Add("id", brokerNumbered ? p.PacketId : Engine.FingerprintRank(p.PacketId));
                if (_options.Inbound)
                {
                    sink.Add("inbound", p.Inbound is null ? -1 : Inbound.IndexOf(p.Inbound));
                }

                sink.Add("dup", Bit(p.Dup));
                sink.Add("clean", Bit(p.CleanSession));
                sink.Add("present", Bit(p.SessionPresent));
                sink.Add("returnCode", p.ReturnCode);
                sink.Add("duplicated", Bit(p.Duplicated));
                sink.Add("linkBehind", Engine.Link - p.Link);
                sink.Add("filters", p.Filters?.Length ?? -1);
                foreach (string filter in p.Filters ?? [])
                {
                    sink.Add("filter", filter);
                }
            }
        }
    }

    /// <summary>One line for traces.</summary>
    public override string ToString()
    {
        var parts = new List<string> { $"t={Now}", Engine.State.ToString(), $"ka={Engine.KeepAliveState}" };
        OutboundMessage[] held = Engine.SnapshotHeld();
        foreach (OutboundMessage m in held)
        {
            ModelMessage? r = Messages.Find(x => ReferenceEquals(x.Message, m));
            parts.Add($"m{r?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}:{m.State}(id={m.PacketId}{(m.Qos == 2 ? ",qos2" : "")}{(m.CallerDetached ? ",detached" : "")}{(r?.AtBroker == true ? ",at-broker" : "")}{(r?.BrokerHeldId is > 0 ? $",broker-holds-id={r.BrokerHeldId}" : "")}{(r?.Released == true ? ",released" : "")})");
        }

        long next = Engine.PollTimeout();
        parts.Add(next == SessionEngine.Never ? "no deadline" : $"deadline +{next - Now}");
        parts.Add($"net={Net}");
        parts.Add(BrokerUp ? "broker=up" : "broker=down");
        if (BrokerSession)
        {
            parts.Add(BrokerSubscribed ? "session+sub" : "session");
        }

        if (Phase != LinkPhase.None)
        {
            parts.Add($"link{LinkNumber}={Phase}{(Accepted ? "(accepted)" : "")}{(BrokerClosed ? "(broker closed)" : "")}");
        }

        foreach (InboundRecord r in Inbound)
        {
            parts.Add($"in{r.Number}:{r.Phase}(qos{r.Qos}{(r.Id != 0 ? $",id={r.Id}" : "")}{(r.Received ? ",received" : "")}{(r.Taken ? ",taken" : "")}{(r.HeldByBroker && Engine.HoldsReceipt(r.Id) && r.Qos == 2 ? ",receipt" : "")})");
        }

        if (Engine.UndeliveredCount > 0)
        {
            parts.Add($"queue=[{string.Join(",", Engine.SnapshotReceived().Select(m => m.Topic + (m.Dup ? "(dup)" : "")))}]");
        }

        parts.AddRange(ToBroker.Select(p => $"{Name(p)}>"));
        parts.AddRange(ToClient.Select(p => $"<{Name(p)}"));
        parts.AddRange(Unwritten.Select(p => $"{Name(p)}(unwritten)"));
        if (ConnectPending)
        {
            parts.Add("ConnectAsync pending");
        }

        if (DisconnectPending)
        {
            parts.Add("DisconnectAsync pending");
        }

        parts.Add(Subscribed ? "subscribed" : "subscribe pending");
        if (Unsubscription is not null)
        {
            parts.Add(Unsubscribed ? "unsubscribed" : "unsubscribe pending");
        }

        return string.Join(' ', parts);
    }

    internal static string Name(Packet p) => p.Kind switch
    {
        PacketKind.None => "EOF",
        PacketKind.Connect => $"CONNECT(clean={(p.CleanSession ? 1 : 0)})",
        PacketKind.ConnAck => $"CONNACK(sp={(p.SessionPresent ? 1 : 0)},rc={p.ReturnCode})",
        PacketKind.Publish when p.Inbound is not null => $"PUBLISH(in{p.Inbound.Number},id={p.PacketId.ToString(System.Globalization.CultureInfo.InvariantCulture)},qos{p.Inbound.Qos}{(p.Dup ? ",dup" : "")})",
        PacketKind.PubRel when p.Inbound is not null => $"PUBREL(in{p.Inbound.Number},id={p.PacketId})",
        PacketKind.Publish => $"PUBLISH(m{p.Message?.Number},{(p.Message?.Qos == 0 ? "qos0" : "id=" + p.PacketId.ToString(System.Globalization.CultureInfo.InvariantCulture))}{(p.Message?.Qos == 2 ? ",qos2" : "")}{(p.Dup ? ",dup" : "")})",
        PacketKind.PubRel => $"PUBREL(m{p.Message?.Number},id={p.PacketId})",
        PacketKind.PubAck or PacketKind.PubRec or PacketKind.PubComp or PacketKind.SubAck or PacketKind.Subscribe or PacketKind.UnsubAck or PacketKind.Unsubscribe => $"{p.Kind.ToString().ToUpperInvariant()}(id={p.PacketId})",
        _ => p.Kind.ToString().ToUpperInvariant(),
    };

    private static int Bit(bool value) => value ? 1 : 0;

    /// <summary>The backoff's random part at its lowest: attempt n waits exactly half its ceiling (the model fixes the jitter).</summary>
    private sealed class LowestJitter : IRandomSource
    {
        public int Next(int exclusiveMaximum) => 0;
    }
}
