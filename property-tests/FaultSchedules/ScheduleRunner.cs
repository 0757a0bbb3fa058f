using System.Globalization;
using System.Text;
using StateMachineMqtt.Machines;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation;
using StateMachineMqtt.PropertyTests.Simulation.Broker;
using StateMachineMqtt.PropertyTests.Simulation.Network;
using StateMachineMqtt.PropertyTests.Simulation.Scheduling;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.FaultSchedules;

/// <summary>
/// Runs one fault schedule against the real client on the simulated network and broker, checking the safety invariants
/// after every step (I1, I2, I3, I4, I9, and QoS 2's exactly once at the broker) and, once the environment heals,
/// liveness (I6, I7, I8, and exactly once for QoS 2 over a session that lasted). Returns null when all hold, else a
/// description of the first violation with the world's recent log.
/// </summary>
internal static class ScheduleRunner
{
    public static readonly string[] Topics = ["out/a", "out/b"];
    public static readonly string[] Filters = ["in/#", "in/a", "in/+"];
    public static readonly string[] InboundTopics = ["a", "b"];

    internal const string ClientId = "schedule";
    private static readonly TimeSpan HealLimit = TimeSpan.FromMinutes(3);

    private sealed record Call(int Sequence, MqttQualityOfService Qos, string Topic, Task Task, bool MayBeCancelled);


    public static string? Run(FaultSchedule schedule, MachineTables? tables = null, Action<TakenTransition>? observer = null, Action<SimulationWorld>? worldCreated = null, TimeSpan tail = default, TimeSpan? stableLinkTime = null, Qos2Tally? tally = null)
    {
        try
        {
            return RunChecked(schedule, tables, observer, worldCreated, tail, stableLinkTime, tally);
        }
        catch (Exception e) when (e is SchedulerRunawayException or TimeoutException or InvalidOperationException)
        {
            // A livelock, a call that never completed, or a hole in a table: all failures of the client, reported as such.
            return $"I7 or a table hole: {e.GetType().Name}: {e.Message}";
        }
    }

    private static string? RunChecked(FaultSchedule schedule, MachineTables? tables, Action<TakenTransition>? observer, Action<SimulationWorld>? worldCreated, TimeSpan tail, TimeSpan? stableLinkTime, Qos2Tally? tally)
    {
        var world = new SimulationWorld(seed: 1);
        world.Broker.MaximumGrantedQos = MqttQualityOfService.ExactlyOnce; // so inbound QoS 2 runs its machine too
        worldCreated?.Invoke(world);
        var options = new MqttClientOptions
        {
            ClientId = ClientId,
            CleanSession = schedule.CleanSession,
            KeepAlive = TimeSpan.FromSeconds(10),
            ResponseTime = TimeSpan.FromSeconds(2),
            MaxRepublishes = 2,
            ReconnectPolicy = new ExponentialBackoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), seed: 1),
            StableLinkTime = stableLinkTime ?? new MqttClientOptions().StableLinkTime,
        };
        var client = new MqttClient(options, world.Time, null, world.Network.CreateTransport(ClientId), world.Scheduler, observer, tables);
        var calls = new List<Call>();
        var received = new List<MqttMessage>();
        var inboundSequence = new int[InboundTopics.Length];
        int sequence = 0;
        DateTimeOffset pausedUntil = DateTimeOffset.MinValue;

        string Fail(string what, FaultStep? step) =>
            $"{what}{Environment.NewLine}after step: {step?.ToString() ?? "(healing)"}{Environment.NewLine}{world.Describe(40)}";

        world.Await(world.Start(() => client.ConnectAsync()), TimeSpan.FromSeconds(10));
        // Subscribed from the start, so every schedule's broker publishes reach the client, QoS 2 ones through its Receipt machine.
        world.Await(world.Start(() => client.SubscribeAsync(Filters[0], MqttQualityOfService.ExactlyOnce)), TimeSpan.FromSeconds(10));
        Task? lastConnect = null;
        _ = world.Start(async () =>
        {
            await foreach (MqttMessage message in client.ReadMessagesAsync())
            {
                received.Add(message);
                if (world.Time.GetUtcNow() < pausedUntil)
                {
                    // The next message stays in the client's queue, unacknowledged, perhaps past the link it came on.
                    await Task.Delay(pausedUntil - world.Time.GetUtcNow(), world.Time);
                }
            }
        });

        foreach (FaultStep step in schedule.Steps)
        {
            Apply(step);
            world.RunUntilIdle();
            if (CheckSafety() is { } violation)
            {
                return Fail(violation, step);
            }
        }

        EnvironmentSteps.Heal(world);
        world.RunUntilIdle();
        if (lastConnect is { IsFaulted: true } && lastConnect.Exception!.GetBaseException() is MqttConnectException)
        {
            // A fresh ConnectAsync that met a fatal refusal failed fast, as it must (never connected since it began);
            // the application, told so, connects again once the broker is healed.
            lastConnect = world.Start(() => client.ConnectAsync());
        }

        bool settled = world.RunUntil(Settled, HealLimit);
        world.RunUntilIdle(); // the reader, awake again, drains what it was handed
        if (settled && tail > TimeSpan.Zero)
        {
            // Let the settled client run on (the differential test compares what each client then does).
            world.RunFor(tail);
        }
        if (CheckSafety() is { } late)
        {
            return Fail(late, null);
        }

        if (settled && (CheckQos2Settled() ?? CheckInboundSettled()) is { } unsettledQos2)
        {
            return Fail(unsettledQos2, null);
        }

        if (settled)
        {
            tally?.Add(calls.Count(c => c.Qos == MqttQualityOfService.ExactlyOnce && c.Task.IsCompletedSuccessfully), world.Broker.WrittenBy(ClientId), world.Broker.SessionsStartedFor(ClientId) == 1);
            tally?.AddInbound(received.Count(m => m.QualityOfService == MqttQualityOfService.ExactlyOnce), world.Broker.SentTo(ClientId));
        }

        return settled ? null : Fail($"not settled {HealLimit} after healing: {Unsettled()}", null);

        // Once healed and settled: every QoS 2 flow ended with PUBREL, so the broker holds none of the client's identifiers;
        // and with one broker session throughout, every QoS 2 message the client ever wrote was accepted once: each that
        // completed, and each whose caller cancelled after its first send — even a send a reset lost on the way (still
        // held, so still delivered).
        string? CheckQos2Settled()
        {
            if (world.Broker.HeldQos2Ids(ClientId) is { Count: > 0 } unreleased)
            {
                return $"QoS 2 flows never released: the broker still holds identifiers {string.Join(",", unreleased)} though the client holds nothing (no PUBREL) [MQTT-4.3.3-1]";
            }

            if (world.Broker.SessionsStartedFor(ClientId) != 1)
            {
                return null;
            }

            var sent = world.Broker.WrittenBy(ClientId).OfType<PublishPacket>()
                .Where(p => p.QualityOfService == MqttQualityOfService.ExactlyOnce).Select(p => BitConverter.ToInt32(p.Payload.Span)).ToHashSet();
            foreach (Call call in calls.Where(c => c.Qos == MqttQualityOfService.ExactlyOnce && (c.Task.IsCompletedSuccessfully || sent.Contains(c.Sequence))))
            {
                int copies = world.Broker.AcceptedOn(call.Topic).Count(m => BitConverter.ToInt32(m.Payload.Span) == call.Sequence);
                if (copies != 1)
                {
                    return $"exactly once: QoS 2 publish #{call.Sequence} ({(call.Task.IsCompletedSuccessfully ? "completed" : "cancelled after it was sent")}) was accepted {copies} times once healed, over one broker session";
                }
            }

            return null;
        }

        // Once healed and settled, over one persistent broker session: every QoS 1 and 2 message the broker queued for the
        // client reached the application (I1 inbound); the exactly-once half is checked after every step.
        string? CheckInboundSettled()
        {
            if (schedule.CleanSession || world.Broker.SessionsStartedFor(ClientId) != 1)
            {
                return null;
            }

            var got = received.Select(m => (m.Topic, BitConverter.ToInt32(m.Payload.Span))).ToHashSet();
            RoutedMessage? lost = world.Broker.RoutedTo(ClientId).FirstOrDefault(m => !got.Contains((m.Topic, BitConverter.ToInt32(m.Payload.Span))));
            return lost is null ? null : $"I1: the QoS {(int)lost.QualityOfService} message {BitConverter.ToInt32(lost.Payload.Span)} on {lost.Topic}, queued for the client by its one broker session, never reached the application";
        }

        void Apply(FaultStep step)
        {
            switch (step)
            {
                case FaultStep.Publish p:
                    int seq = sequence++;
                    string topic = Topics[p.Topic];
                    CancellationToken token = p.CancelAfterMs is { } ms ? new CancellationTokenSource(TimeSpan.FromMilliseconds(ms), world.Time).Token : default;
                    calls.Add(new Call(seq, p.Qos, topic, world.Start(() => client.PublishAsync(topic, BitConverter.GetBytes(seq), p.Qos, cancellationToken: token)), p.CancelAfterMs is not null));
                    break;
                case FaultStep.Subscribe s:
                    _ = world.Start(() => client.SubscribeAsync(Filters[s.Filter], MqttQualityOfService.ExactlyOnce));
                    break;
                case FaultStep.Unsubscribe u:
                    _ = world.Start(() => client.UnsubscribeAsync(Filters[u.Filter]));
                    break;
                case FaultStep.DisconnectAndReconnect:
                    world.Await(world.Start(() => client.DisconnectAsync()), TimeSpan.FromSeconds(5));
                    lastConnect = world.Start(() => client.ConnectAsync());
                    break;
                case FaultStep.ApplicationPauses a:
                    // A pause extends one already running, never shortens it: the reader sleeps until the later end.
                    DateTimeOffset until = world.Time.GetUtcNow() + TimeSpan.FromMilliseconds(a.Milliseconds);
                    pausedUntil = until > pausedUntil ? until : pausedUntil;
                    break;
                case FaultStep.BrokerPublishes b:
                    world.Broker.Publish("in/" + InboundTopics[b.Topic], BitConverter.GetBytes(inboundSequence[b.Topic]++), b.Qos);
                    break;
                default:
                    if (!EnvironmentSteps.TryApply(world, step))
                    {
                        throw new InvalidOperationException($"no runner for step {step}");
                    }

                    break;
            }
        }

        bool Settled() =>
            client.IsConnected
            && calls.All(c => c.Task.IsCompleted)
            && world.Broker.HeldMessageCount(ClientId) == 0
            && world.Time.GetUtcNow() > pausedUntil // the application reads again, so what the client handed it is read
            && client.SnapshotHeldMessages().Count == 0
            && client.SnapshotSubscriptions().All(world.Broker.SubscriptionsOf(ClientId).ContainsKey);

        string Unsettled()
        {
            var why = new StringBuilder();
            why.Append(CultureInfo.InvariantCulture, $"connected={client.IsConnected}; ");
            why.Append(CultureInfo.InvariantCulture, $"pending calls={string.Join(",", calls.Where(c => !c.Task.IsCompleted).Select(c => $"#{c.Sequence}(QoS {(int)c.Qos})"))}; ");
            why.Append(CultureInfo.InvariantCulture, $"held={string.Join(",", client.SnapshotHeldMessages().Select(m => $"{BitConverter.ToInt32(m.Payload.Span)}:{m.State}"))}; ");
            why.Append(CultureInfo.InvariantCulture, $"subscriptions not in force={string.Join(",", client.SnapshotSubscriptions().Where(f => !world.Broker.SubscriptionsOf(ClientId).ContainsKey(f)))}");
            return why.ToString();
        }

        string? CheckSafety()
        {
            if (world.Broker.Violations.Count > 0)
            {
                return "I3/I4 violated: " + string.Join("; ", world.Broker.Violations);
            }

            if (world.Broker.InternalErrors.Count > 0)
            {
                return "broker error: " + world.Broker.InternalErrors[0];
            }

            var held = client.SnapshotHeldMessages();
            var heldSequences = held.Select(m => BitConverter.ToInt32(m.Payload.Span)).ToHashSet();
            foreach (Call call in calls)
            {
                // QoS 0 handed to a link that died before it was written is reported, never re-sent (at most once).
                bool qos0LostWithItsLink = call.Qos == MqttQualityOfService.AtMostOnce && call.Task.Exception?.GetBaseException() is MqttConnectionLostException;
                if (call.Task.IsFaulted && !qos0LostWithItsLink)
                {
                    return $"I7: publish #{call.Sequence} failed: {call.Task.Exception!.GetBaseException().Message}";
                }

                if (call.Task.IsCanceled && !call.MayBeCancelled)
                {
                    return $"I1: publish #{call.Sequence} was cancelled, but its caller never cancelled it";
                }

                // QoS 1 ends with PUBACK, QoS 2 with PUBCOMP: until then the message is held, whatever the faults.
                if (call.Qos >= MqttQualityOfService.AtLeastOnce && !call.Task.IsCompleted && !heldSequences.Contains(call.Sequence))
                {
                    return $"I1: QoS {(int)call.Qos} publish #{call.Sequence} is neither acknowledged nor held";
                }

                var copies = world.Broker.AcceptedOn(call.Topic).Where(m => BitConverter.ToInt32(m.Payload.Span) == call.Sequence).ToList();
                if (call.Qos >= MqttQualityOfService.AtLeastOnce && call.Task.IsCompletedSuccessfully && copies.Count == 0)
                {
                    return $"I1: QoS {(int)call.Qos} publish #{call.Sequence} completed but the broker never accepted it";
                }

                // Exactly once at the broker: a session holds a QoS 2 message's identifier from its first PUBLISH to PUBREL,
                // so whatever is re-sent, one session forwards it once. Only a session lost and started anew (a clean
                // session's next link, a restart without sessions) may take a re-sent PUBLISH as new: MQTT cannot tell.
                if (call.Qos == MqttQualityOfService.ExactlyOnce && copies.GroupBy(m => m.Session).FirstOrDefault(g => g.Count() > 1) is { } twice)
                {
                    return $"exactly once: QoS 2 publish #{call.Sequence} was accepted {twice.Count()} times by broker session {twice.Key}";
                }

                if (call.Qos == MqttQualityOfService.ExactlyOnce && world.Broker.SessionsStartedFor(ClientId) == 1 && copies.Count > 1)
                {
                    return $"exactly once: QoS 2 publish #{call.Sequence} was accepted {copies.Count} times, though one broker session lasted throughout";
                }
            }

            // I2 over every identifier a sent message holds: QoS 1's (PUBACK pending) and QoS 2's (PUBREC or PUBCOMP pending).
            var ids = held.Where(m => m.State is not PublishState.Queued).Select(m => m.PacketId).ToList();
            if (ids.Contains((ushort)0) || ids.Distinct().Count() != ids.Count)
            {
                return $"I2: in-flight packet identifiers not unique and non-zero: {string.Join(",", ids)}";
            }

            foreach (string topic in Topics)
            {
                var firsts = world.Broker.AcceptedOn(topic).Select(m => BitConverter.ToInt32(m.Payload.Span))
                    .Where(seq => calls[seq].Qos >= MqttQualityOfService.AtLeastOnce).Distinct().ToList();
                if (!firsts.SequenceEqual(firsts.Order()))
                {
                    return $"I9: QoS 1 and 2 messages on {topic} reached the broker out of order: {string.Join(",", firsts)}";
                }
            }

            foreach (string topic in InboundTopics)
            {
                // Exactly once to the application: the client holds a QoS 2 identifier from its PUBLISH to PUBREL (I9).
                if (received.Where(m => m.Topic == "in/" + topic && m.QualityOfService == MqttQualityOfService.ExactlyOnce)
                        .GroupBy(m => BitConverter.ToInt32(m.Payload.Span)).FirstOrDefault(g => g.Count() > 1) is { } twice)
                {
                    return $"exactly once: the QoS 2 message {twice.Key} on in/{topic} reached the application {twice.Count()} times (I9)";
                }

                var firsts = received.Where(m => m.Topic == "in/" + topic && m.QualityOfService >= MqttQualityOfService.AtLeastOnce)
                    .Select(m => BitConverter.ToInt32(m.Payload.Span)).Distinct().ToList();
                if (!firsts.SequenceEqual(firsts.Order()))
                {
                    return $"I9: QoS 1 and 2 messages on in/{topic} reached the application out of order: {string.Join(",", firsts)}";
                }
            }

            return null;
        }
    }
}

/// <summary>
/// What the QoS 2 checks of many schedule runs had to work on, so a property can show they were not vacuous: completed QoS 2
/// publishes, PUBLISH re-sends (DUP) and PUBREL re-sends the client wrote, and runs judged for exactly once over one
/// broker session. Thread-safe: runs of one property may share it.
/// </summary>
internal sealed class Qos2Tally
{
    private long _completed;
    private long _publishResends;
    private long _pubRelResends;
    private long _oneSessionRuns;
    private long _inboundReceived;
    private long _inboundRedeliveries;
    private long _inboundPubRelResends;

    public long Completed => Interlocked.Read(ref _completed);

    public long PublishResends => Interlocked.Read(ref _publishResends);

    public long PubRelResends => Interlocked.Read(ref _pubRelResends);

    public long OneSessionRuns => Interlocked.Read(ref _oneSessionRuns);

    public void Add(int completed, IReadOnlyList<MqttPacket> written, bool oneSession)
    {
        Interlocked.Add(ref _completed, completed);
        Interlocked.Add(ref _publishResends, written.Count(p => p is PublishPacket { QualityOfService: MqttQualityOfService.ExactlyOnce, Dup: true }));
        var releases = written.OfType<PubRelPacket>().ToList();
        Interlocked.Add(ref _pubRelResends, releases.Count - releases.Select(r => r.PacketId).Distinct().Count());
        if (oneSession && completed > 0)
        {
            Interlocked.Increment(ref _oneSessionRuns);
        }
    }

    /// <summary>QoS 2 messages the application received, and the broker's QoS 2 re-deliveries (DUP) and PUBREL re-sends to the client.</summary>
    public long InboundReceived => Interlocked.Read(ref _inboundReceived);

    public long InboundRedeliveries => Interlocked.Read(ref _inboundRedeliveries);

    public long InboundPubRelResends => Interlocked.Read(ref _inboundPubRelResends);

    public void AddInbound(int received, IReadOnlyList<PacketRecord> sent)
    {
        Interlocked.Add(ref _inboundReceived, received);
        Interlocked.Add(ref _inboundRedeliveries, sent.Count(r => r.Packet is PublishPacket { QualityOfService: MqttQualityOfService.ExactlyOnce, Dup: true }));
        var releases = sent.Where(r => r.Packet is PubRelPacket).Select(r => ((PubRelPacket)r.Packet).PacketId).ToList();
        Interlocked.Add(ref _inboundPubRelResends, releases.Count - releases.Distinct().Count());
    }

    public override string ToString() =>
        $"{Completed} QoS 2 publishes completed, {PublishResends} PUBLISH re-sends (DUP), {PubRelResends} PUBREL re-sends, {OneSessionRuns} runs judged for exactly once over one broker session; "
        + $"inbound: {InboundReceived} QoS 2 messages received, {InboundRedeliveries} re-deliveries (DUP), {InboundPubRelResends} PUBREL re-sends";
}
