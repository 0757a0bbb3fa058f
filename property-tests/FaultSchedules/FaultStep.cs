using System.Net.Sockets;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.FaultSchedules;

/// <summary>One step of a fault schedule: an API call, a fault, or the passing of virtual time. ToString is the readable schedule.</summary>
public abstract record FaultStep
{
    /// <summary>PublishAsync; Topic picks one of <see cref="ScheduleRunner.Topics"/>; CancelAfterMs cancels the call later (null: never).</summary>
    public sealed record Publish(MqttQualityOfService Qos, int Topic, int? CancelAfterMs) : FaultStep
    {
        public override string ToString() => $"publish QoS {(int)Qos} to {ScheduleRunner.Topics[Topic]}{(CancelAfterMs is { } ms ? $", cancel after {ms} ms" : "")}";
    }

    public sealed record Subscribe(int Filter) : FaultStep
    {
        public override string ToString() => $"subscribe {ScheduleRunner.Filters[Filter]}";
    }

    public sealed record Unsubscribe(int Filter) : FaultStep
    {
        public override string ToString() => $"unsubscribe {ScheduleRunner.Filters[Filter]}";
    }

    public sealed record DisconnectAndReconnect : FaultStep
    {
        public override string ToString() => "DisconnectAsync, then ConnectAsync";
    }

    /// <summary>The broker publishes to the client's subscriptions.</summary>
    public sealed record BrokerPublishes(MqttQualityOfService Qos, int Topic) : FaultStep
    {
        public override string ToString() => $"broker publishes QoS {(int)Qos} to in/{ScheduleRunner.InboundTopics[Topic]}";
    }

    public sealed record ResetLink : FaultStep
    {
        public override string ToString() => "link reset (ECONNRESET)";
    }

    public sealed record CloseLink : FaultStep
    {
        public override string ToString() => "link closed by the peer (FIN)";
    }

    public sealed record HalfOpenLink : FaultStep
    {
        public override string ToString() => "link goes half-open (peer vanishes, no FIN)";
    }

    public sealed record FailNextWrite(SocketError Error) : FaultStep
    {
        public override string ToString() => $"next write fails with {Error}";
    }

    public sealed record NetworkDown(SocketError Error) : FaultStep
    {
        public override string ToString() => $"network down: connects fail with {Error}";
    }

    public sealed record ConnectsBlackholed : FaultStep
    {
        public override string ToString() => "connects hang (SYN blackholed)";
    }

    public sealed record NetworkUp : FaultStep
    {
        public override string ToString() => "network up";
    }

    public sealed record ConnectsInProgress(int Count) : FaultStep
    {
        public override string ToString() => $"next {Count} connects report EINPROGRESS";
    }

    /// <summary>
    /// The broker does not write its next <paramref name="Count"/> packets of <paramref name="Type"/>. Packet types are spec/'s
    /// <see cref="PacketKind"/> (numbered as on the wire), which is public: core's codec types are internal, and a schedule is a
    /// test's argument.
    /// </summary>
    public sealed record BrokerDrops(PacketKind Type, int Count) : FaultStep
    {
        public override string ToString() => $"broker drops its next {Count} {Type}";
    }

    /// <summary>The broker writes its next packet of <paramref name="Type"/> twice.</summary>
    public sealed record BrokerDuplicates(PacketKind Type) : FaultStep
    {
        public override string ToString() => $"broker sends its next {Type} twice";
    }

    /// <summary>
    /// The broker writes its next packet of <paramref name="Type"/> <paramref name="Milliseconds"/> late, as a slow broker
    /// answers: what it sends meanwhile overtakes it, and it is lost if the link goes first.
    /// </summary>
    public sealed record BrokerDelays(PacketKind Type, int Milliseconds) : FaultStep
    {
        public override string ToString() => $"broker sends its next {Type} {Milliseconds} ms late";
    }

    /// <summary>The broker ignores the next <paramref name="Count"/> packets of <paramref name="Type"/> it receives.</summary>
    public sealed record BrokerIgnores(PacketKind Type, int Count) : FaultStep
    {
        public override string ToString() => $"broker ignores the next {Count} {Type} it receives";
    }

    /// <summary>The next <paramref name="Type"/> the client sends is lost with its link: the link resets as it arrives.</summary>
    public sealed record LostWithLink(PacketKind Type) : FaultStep
    {
        public override string ToString() => $"the client's next {Type} is lost with its link";
    }

    /// <summary>The application stops taking messages for <paramref name="Milliseconds"/>: what arrives meanwhile waits in the client's queue.</summary>
    public sealed record ApplicationPauses(int Milliseconds) : FaultStep
    {
        public override string ToString() => $"the application takes no message for {Milliseconds} ms";
    }

    public sealed record BrokerIgnoresConnects(int Count) : FaultStep
    {
        public override string ToString() => $"broker ignores the next {Count} CONNECTs";
    }

    public sealed record BrokerRefuses(ConnectReturnCode Code, int Count) : FaultStep
    {
        public override string ToString() => $"broker refuses the next {Count} CONNECTs with {Code}";
    }

    public sealed record BrokerRestart(bool KeepSessions) : FaultStep
    {
        public override string ToString() => $"broker restarts {(KeepSessions ? "keeping" : "losing")} sessions";
    }

    public sealed record BrokerStop : FaultStep
    {
        public override string ToString() => "broker stops (connects refused)";
    }

    public sealed record BrokerStart : FaultStep
    {
        public override string ToString() => "broker starts";
    }

    public sealed record Wait(int Milliseconds) : FaultStep
    {
        public override string ToString() => $"wait {Milliseconds} ms";
    }
}
