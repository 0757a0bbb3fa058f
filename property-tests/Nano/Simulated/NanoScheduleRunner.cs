using StateMachineMqtt.Spec;
using System.Globalization;
using System.Text;
using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.PropertyTests.FaultSchedules;
using StateMachineMqtt.PropertyTests.Simulation;
using StateMachineMqtt.PropertyTests.Simulation.Network;
using StateMachineMqtt.PropertyTests.Simulation.Scheduling;
using NanoState = StateMachineMqtt.Spec.ConnectionState;

namespace StateMachineMqtt.PropertyTests.Nano.Simulated;

/// <summary>
/// Runs one core fault schedule against the device client on the shared simulated network and broker. After every step:
/// no I3/I4 violation at the broker, every accepted QoS 1 or 2 publish is accepted by the broker or still held (I1), and
/// QoS 1 ones in order (I9). After healing: connected, nothing held, every subscription in force. Returns null, or the first failure
/// with the world's recent log. Steps the device client cannot take are skipped and counted in <see cref="Skipped"/>:
/// publishes into a full queue (QueueLength, QoS 0 and 1 alike, refused under the Reject policy); CancelAfterMs is ignored
/// (no cancellation).
/// A refused first CONNECT closes the device client (fail fast); healing then calls Connect again, as the application would.
/// </summary>
internal static class NanoScheduleRunner
{
    internal const string ClientId = "nano-schedule";

    // Enough for a whole connect (open, CONNECT, CONNACK, restore) at one instant.
    private const int PollsBetweenSteps = 8;
    private static readonly TimeSpan HealLimit = TimeSpan.FromMinutes(3);

    /// <summary>Steps skipped so far over all runs (for the test's report).</summary>
    public static int Skipped { get; private set; }

    /// <summary>Runs where a refused first CONNECT closed the client (fail fast by design) and healing called Connect again.</summary>
    public static int ReconnectedAfterFailFast { get; private set; }

    /// <summary>QoS 1 publishes the broker accepted, over all runs that settled.</summary>
    public static int AcknowledgedQos1 { get; private set; }

    /// <summary>Publishes the client accepted over all runs.</summary>
    public static int Accepted { get; private set; }

    private sealed record Call(int Sequence, string Topic);

    private sealed class Events : INanoMqttEvents
    {
        public List<(string Topic, int Qos, int Sequence)> Received { get; } = [];

        public void MessageReceived(string topic, byte[] payload, int qos, bool retain, bool dup) =>
            Received.Add((topic, qos, payload.Length == 4 ? BitConverter.ToInt32(payload) : -1));

        public void ConnectionChanged(bool up)
        {
        }

        public List<string> Failures { get; } = [];

        public void ConnectFailed(string reason) => Failures.Add(reason);
    }


    /// <summary>Runs <paramref name="schedule"/>; null when every invariant held.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="worldCreated">Told of the simulated world the run uses (the differential test reads the wire there).</param>
    /// <param name="tail">Virtual time the run goes on for once settled (the differential test compares what the client then does).</param>
    /// <param name="pollMilliseconds">Virtual milliseconds between the device loop's polls.</param>
    /// <param name="version">The MQTT version the device speaks (the simulated broker follows its CONNECT).</param>
    public static string? Run(FaultSchedule schedule, Action<SimulationWorld>? worldCreated = null, TimeSpan tail = default, int pollMilliseconds = NanoPollDriver.PeriodMilliseconds, TimeSpan? stableLinkTime = null, MqttProtocolVersion version = MqttProtocolVersion.V311)
    {
        try
        {
            return RunChecked(schedule, worldCreated, tail, pollMilliseconds, stableLinkTime, version);
        }
        catch (Exception e) when (e is SchedulerRunawayException or TimeoutException or InvalidOperationException)
        {
            return $"livelock or a table hole: {e.GetType().Name}: {e.Message}";
        }
    }

    private static string? RunChecked(FaultSchedule schedule, Action<SimulationWorld>? worldCreated, TimeSpan tail, int pollMilliseconds, TimeSpan? stableLinkTime, MqttProtocolVersion version)
    {
        var world = new SimulationWorld(seed: 1);
        world.Broker.MaximumGrantedQos = MqttQualityOfService.ExactlyOnce; // as core's runner: inbound QoS 2 runs the Receipt machine
        worldCreated?.Invoke(world);
        var socket = new SimulatedNanoSocket(world, world.Network.CreateTransport(ClientId));
        var events = new Events();
        var options = new NanoMqttOptions
        {
            Host = "broker.sim",
            Connect = new NanoConnectOptions { ClientId = ClientId, CleanSession = schedule.CleanSession, KeepAliveSeconds = 10 },
            ResponseTimeMilliseconds = 2000,
            MaxRepublishes = 2,
            BackoffInitialMilliseconds = 500,
            BackoffMaxMilliseconds = 4000,
            StableLinkMilliseconds = stableLinkTime is { } stable ? (int)stable.TotalMilliseconds : new NanoMqttOptions().StableLinkMilliseconds,
            RandomSeed = 1, // the backoff jitter replays with the schedule
            QueueLength = 256, // as good as unbounded for a schedule, as core's runner is (the differential test compares them)
            ProtocolVersion = version,
        };
        var client = new NanoMqttClient(options, socket, new SimulatedNanoClock(world.Time), events);
        using var driver = new NanoPollDriver(world, client, pollMilliseconds);
        var calls = new List<Call>();
        var qosOf = new Dictionary<int, int>();
        var wanted = new HashSet<string>();
        int sequence = 0;

        string Fail(string what, FaultStep? step) =>
            $"{what}{Environment.NewLine}after step: {step?.ToString() ?? "(healing)"}; client {client.State}, held {client.HeldCount}, last error: {client.LastError}{Environment.NewLine}{world.Describe(40)}";

        OnScheduler(client.Connect);
        world.RunUntil(() => client.IsConnected, TimeSpan.FromSeconds(10));
        // Subscribed from the start, as core's runner is (the differential test compares their wires).
        OnScheduler(() => client.Subscribe(ScheduleRunner.Filters[0], 2));
        wanted.Add(ScheduleRunner.Filters[0]);
        for (int poll = 0; poll < PollsBetweenSteps; poll++)
        {
            OnScheduler(driver.PollOnce); // until its SUBACK is read, as core's runner awaits SubscribeAsync
            world.RunUntilIdle();
        }

        foreach (FaultStep step in schedule.Steps)
        {
            Apply(step);
            world.RunUntilIdle();
            // A device's loop polls continuously: between two steps at one virtual instant it polls many times, and so
            // finishes what the network let it (learns of a reset, opens a link, reads a CONNACK) before the next step, as
            // core's event-driven loop does.
            for (int poll = 0; poll < PollsBetweenSteps; poll++)
            {
                OnScheduler(driver.PollOnce);
                world.RunUntilIdle();
            }
            if (CheckSafety() is { } violation)
            {
                return Fail(violation, step);
            }
        }

        EnvironmentSteps.Heal(world);
        if (client.State == NanoState.Closed)
        {
            // A CONNACK refusal on the first connect after Connect() is fatal by design (spec ConnectionTable, NeverConnected):
            // the device gives up and tells the application, which calls Connect again once the broker is fixed.
            if (events.Failures.Count == 0)
            {
                return Fail("the client closed without reporting ConnectFailed", null);
            }

            ReconnectedAfterFailFast++;
            OnScheduler(client.Connect);
        }

        bool settled = world.RunUntil(Settled, HealLimit);
        if (settled && tail > TimeSpan.Zero)
        {
            // Let the settled client run on (the differential test compares what each client then does).
            world.RunFor(tail);
        }
        if (CheckSafety() is { } late)
        {
            return Fail(late, null);
        }

        if (settled)
        {
            HashSet<int> reached = AcceptedByBroker();
            AcknowledgedQos1 += calls.Count(c => reached.Contains(c.Sequence) && qosOf[c.Sequence] == 1);
        }

        return settled ? null : Fail($"not settled {HealLimit} after healing: {Unsettled()}", null);

        // API calls run on the scheduler, like the device's single thread, never inside a Poll.
        void OnScheduler(Action action) => world.Await(world.Start(() => { action(); return Task.CompletedTask; }), TimeSpan.FromSeconds(1));

        void Apply(FaultStep step)
        {
            switch (step)
            {
                case FaultStep.Publish p:
                    int seq = sequence;
                    string topic = ScheduleRunner.Topics[p.Topic];
                    int qos = (int)p.Qos; // the device publishes at QoS 2 too: a QoS 2 step is not taken as QoS 1
                    bool taken = false;
                    OnScheduler(() => taken = client.Publish(topic, BitConverter.GetBytes(seq), qos, retain: false));
                    if (!taken)
                    {
                        Skipped++;
                        break;
                    }

                    sequence++;
                    Accepted++;
                    qosOf[seq] = qos;
                    if (qos >= 1)
                    {
                        calls.Add(new Call(seq, topic));
                    }

                    break;
                case FaultStep.Subscribe s:
                    string filter = ScheduleRunner.Filters[s.Filter];
                    OnScheduler(() => client.Subscribe(filter, 2));
                    wanted.Add(filter);
                    break;
                case FaultStep.Unsubscribe u:
                    OnScheduler(() => client.Unsubscribe(ScheduleRunner.Filters[u.Filter]));
                    wanted.Remove(ScheduleRunner.Filters[u.Filter]);
                    break;
                case FaultStep.DisconnectAndReconnect:
                    OnScheduler(client.Disconnect);
                    world.RunUntil(() => client.State is NanoState.Idle or NanoState.Closed, TimeSpan.FromSeconds(5));
                    OnScheduler(client.Connect);
                    break;
                case FaultStep.BrokerPublishes b:
                    world.Broker.Publish("in/" + ScheduleRunner.InboundTopics[b.Topic], BitConverter.GetBytes(sequence++), b.Qos);
                    break;
                case FaultStep.ApplicationPauses:
                    break; // the device hands each message to its callback within Poll: there is no reader to pause
                default:
                    if (!EnvironmentSteps.TryApply(world, step))
                    {
                        throw new InvalidOperationException($"no runner for step {step}");
                    }

                    break;
            }
        }

        HashSet<int> AcceptedByBroker() =>
            ScheduleRunner.Topics.SelectMany(t => world.Broker.AcceptedOn(t)).Select(m => BitConverter.ToInt32(m.Payload.Span)).ToHashSet();

        bool Settled() =>
            client.IsConnected
            && client.HeldCount == 0
            && world.Broker.HeldMessageCount(ClientId) == 0 // as core's runner: every exchange with the device finished
            && wanted.All(world.Broker.SubscriptionsOf(ClientId).ContainsKey);

        string Unsettled()
        {
            var why = new StringBuilder();
            why.Append(CultureInfo.InvariantCulture, $"connected={client.IsConnected} ({client.State}); held={client.HeldCount}; ");
            why.Append(CultureInfo.InvariantCulture, $"subscriptions not in force={string.Join(",", wanted.Where(f => !world.Broker.SubscriptionsOf(ClientId).ContainsKey(f)))}");
            return why.ToString();
        }

        string? CheckSafety()
        {
            if (driver.Failure is { } thrown)
            {
                return "Poll threw: " + thrown;
            }

            if (world.Broker.Violations.Count > 0)
            {
                return "I3/I4 violated: " + string.Join("; ", world.Broker.Violations);
            }

            if (world.Broker.InternalErrors.Count > 0)
            {
                return "broker error: " + world.Broker.InternalErrors[0];
            }

            if (client.Statistics.SendsRefused > 0)
            {
                return $"I3: the engine's send rules refused {client.Statistics.SendsRefused} packets (the engine tried to send outside the states that allow it)";
            }

            // I1, one by one: every QoS 1 or 2 publish the broker has not accepted is still held by the engine, at its QoS.
            HashSet<int> accepted = AcceptedByBroker();
            HashSet<int> held = [.. client.SnapshotHeld().Where(m => m.Qos >= 1 && m.Qos == qosOf[BitConverter.ToInt32(m.Payload)]).Select(m => BitConverter.ToInt32(m.Payload))];
            var missing = calls.Where(c => !accepted.Contains(c.Sequence) && !held.Contains(c.Sequence)).Select(c => c.Sequence).ToList();
            if (missing.Count > 0)
            {
                return $"I1: QoS 1 or 2 publishes {string.Join(",", missing)} were neither accepted by the broker nor held ({client.HeldCount} held)";
            }

            foreach (string topic in ScheduleRunner.Topics)
            {
                var firsts = world.Broker.AcceptedOn(topic).Select(m => BitConverter.ToInt32(m.Payload.Span))
                    .Where(seq => qosOf.TryGetValue(seq, out int q) && q == 1).Distinct().ToList();
                if (!firsts.SequenceEqual(firsts.Order()))
                {
                    return $"I9: QoS 1 messages on {topic} reached the broker out of order: {string.Join(",", firsts)}";
                }
            }

            foreach (string topic in ScheduleRunner.InboundTopics)
            {
                if (events.Received.Where(m => m.Topic == "in/" + topic && m.Qos == 2).GroupBy(m => m.Sequence).FirstOrDefault(g => g.Count() > 1) is { } twice)
                {
                    return $"exactly once: the QoS 2 message {twice.Key} on in/{topic} reached the application {twice.Count()} times (I9)";
                }

                var firsts = events.Received.Where(m => m.Topic == "in/" + topic && m.Qos >= 1).Select(m => m.Sequence).Distinct().ToList();
                if (!firsts.SequenceEqual(firsts.Order()))
                {
                    return $"I9: QoS 1 and 2 messages on in/{topic} reached the application out of order: {string.Join(",", firsts)}";
                }
            }

            return null;
        }
    }
}
