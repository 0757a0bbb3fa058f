using System.Globalization;
using StateMachineMqtt.Engine;
using StateMachineMqtt.PropertyTests.Engine;
using StateMachineMqtt.Spec;
using StateMachineMqtt.Verification.ModelChecking;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// The search is only as good as its state identity. These tests hold the fingerprint (SessionEngine.Fingerprint and the
/// environment's) to three promises over every state of an exhaustive run: it separates states that differ in anything
/// observable (the engine's public view and the environment); the states it merges have the same futures; and the
/// forks of the exploration agree with a replay from the initial state on core/'s own StatelessMachines. Then, by hand,
/// what it tells apart and what it deliberately does not (absolute time, identifier values, link numbers).
/// </summary>
public sealed class FingerprintTests(ITestOutputHelper output)
{
    private static readonly ModelOptions Options = new();

    /// <summary>The broker publishing one QoS 2 and one QoS 1 message to a client that keeps its session.</summary>
    private static readonly ModelOptions Inbound = Options with { CleanSession = false, MaxMessages = 0, InboundQos2Messages = 1, InboundQos1Messages = 1 };

    [Fact]
    public void States_with_one_fingerprint_look_the_same_through_every_public_view_and_have_the_same_futures() =>
        AssertMergesAgree(Options, int.MaxValue);

    /// <summary>The same promises with inbound messages: the broker's messages, receipts and the application's queue are state too.</summary>
    [Fact]
    public void With_inbound_messages_states_with_one_fingerprint_look_the_same_and_have_the_same_futures() =>
        AssertMergesAgree(Inbound, 17);

    private void AssertMergesAgree(ModelOptions options, int depth)
    {
        var checker = new ModelChecker(options: options);
        var seen = new List<string>();
        string? mismatch = null;
        var merges = new List<(int Known, int Parent, int Code)>();
        long merged = 0;
        checker.OnReached = reach =>
        {
            if (reach.IsNew)
            {
                seen.Add(Observe(reach.World));
            }
            else
            {
                // Every third transition into a known state is compared (Observe is slow; the rest only adds time).
                if (++merged % 3 == 0 && mismatch is null && seen[reach.Index] != Observe(reach.World))
                {
                    mismatch = $"state {reach.Index} was reached again with another public view:\n  first: {seen[reach.Index]}\n  again: {Observe(reach.World)}";
                }

                if (merged % 997 == 0 && merges.Count < 120)
                {
                    merges.Add((reach.Index, reach.Parent, reach.Code));
                }
            }
        };
        var report = checker.Run(depth);
        output.WriteLine(report.ToString());
        Assert.True(report.Violation is null, report.ToString());
        Assert.True(report.Exhaustive || depth != int.MaxValue);
        Assert.True(mismatch is null, mismatch);

        // Merged states have the same futures: the same random walk from both shows the same events, views and fingerprints.
        var random = new Random(14);
        var enabledA = new List<ModelEvent>();
        var enabledB = new List<ModelEvent>();
        foreach (var (known, parent, code) in merges)
        {
            World a = checker.ReplayWorld(checker.PathTo(known), onExplorationMachines: true);
            World b = checker.ReplayWorld([.. checker.PathTo(parent), code], onExplorationMachines: true);
            for (int step = 0; step < 25; step++)
            {
                Assert.Equal(Text(a), Text(b));
                enabledA.Clear();
                enabledB.Clear();
                a.Enabled(enabledA);
                b.Enabled(enabledB);
                Assert.Equal(enabledA, enabledB);
                ModelEvent e = enabledA[random.Next(enabledA.Count)];
                Violation? va = a.Apply(e), vb = b.Apply(e);
                Assert.Equal(va?.Invariant, vb?.Invariant);
                Assert.Equal(Observe(a), Observe(b));
                if (va is not null)
                {
                    break;
                }
            }
        }

        output.WriteLine($"{seen.Count:N0} states, {merged:N0} transitions into known states, {merges.Count} merges walked 25 events each");
        Assert.True(merges.Count >= 100, "too few merges sampled");
    }

    /// <summary>
    /// With the one message at QoS 1, and at QoS 2 (its broker-held identifier and PUBREL are state too); "3": no outbound
    /// message, the broker publishing a QoS 2 and a QoS 1 one (its publishing touches only the environment).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Forks_of_the_exploration_agree_with_a_replay_on_core_StatelessMachines(int qos)
    {
        var checker = new ModelChecker(options: qos switch
        {
            2 => Options with { CleanSession = false, MaxMessages = 0, Qos2Messages = 1 },
            3 => Inbound,
            _ => Options with { CleanSession = false },
        });
        var report = checker.Run(16, checkLiveness: false);
        Assert.True(report.Violation is null, report.ToString());
        int states = checker.Flags.Count;
        var enabled = new List<ModelEvent>();
        int checkedEvents = 0;
        for (int i = 0; i < states; i += states / 150)
        {
            World replayed = checker.ReplayWorld(checker.PathTo(i));
            Assert.Equal(checker.IdOf(i), checker.Id(replayed));

            // Events that do not touch the engine leave it alone (the forks for them share it).
            enabled.Clear();
            replayed.Enabled(enabled);
            foreach (ModelEvent e in enabled.Where(e => !e.TouchesEngine))
            {
                World w = checker.ReplayWorld(checker.PathTo(i));
                string before = EngineText(w.Engine);
                _ = w.Apply(e);
                Assert.Equal(before, EngineText(w.Engine));
                checkedEvents++;
            }
        }

        output.WriteLine($"{report}; {states / (states / 150)} states replayed, {checkedEvents} environment-only events checked");
    }

    [Fact]
    public void The_fingerprint_tells_apart_what_the_engine_decides_by()
    {
        var variants = new Dictionary<string, EngineHarness>
        {
            ["connected, one message awaiting PUBACK"] = Base(),
            ["... acknowledged"] = Base(h => h.Do((e, now) => e.HandlePubAck(e.Link, e.SnapshotHeld()[0].PacketId, now))),
            ["... its caller detached"] = Base(h => h.Do((e, now) => e.CancelPublish(e.SnapshotHeld()[0], now))),
            ["... a ping interval later (PINGREQ out)"] = Base(h => h.Advance(h.Options.EffectivePingIntervalMs)),
            ["... re-sent with DUP after the response time"] = Base(h => h.Advance(h.Options.ResponseTimeMs)),
            ["... the link lost (Backoff, message Resend)"] = Base(h => h.Do((e, now) => e.HandleLinkError(e.Link, (int)SocketErrorCode.ConnectionReset, "reset", now))),
            ["... a second message queued behind the window"] = Base(h => h.Publish("t", 1)),
            ["connected, one QoS 2 message awaiting PUBREC"] = Fresh(h =>
            {
                h.Connect();
                h.Publish("t", 2);
            }),
            ["... PUBREC came, PUBREL out, awaiting PUBCOMP"] = Fresh(h =>
            {
                h.Connect();
                OutboundMessage m = h.Publish("t", 2);
                h.Do((e, now) => e.HandlePubRec(e.Link, m.PacketId, now));
            }),
            ["... and the link lost (PUBREL to re-send)"] = Fresh(h =>
            {
                h.Connect();
                OutboundMessage m = h.Publish("t", 2);
                h.Do((e, now) => e.HandlePubRec(e.Link, m.PacketId, now));
                h.Do((e, now) => e.HandleLinkError(e.Link, (int)SocketErrorCode.ConnectionReset, "reset", now));
            }),
            ["... a SUBSCRIBE on its way"] = Base(h => h.Do((e, now) => e.Request(SubscriptionRequest.Subscribe(["a"], [1], new object()), now))),
            ["... subscribed"] = Base(h =>
            {
                h.Do((e, now) => e.Request(SubscriptionRequest.Subscribe(["a"], [1], new object()), now));
                h.Do((e, now) => e.HandleSubAck(e.Link, h.Sent.Last().PacketId, [1], now));
            }),
            ["... disconnecting"] = Base(h => h.Do((e, now) => e.Disconnect(new object(), now))),
            ["... the link lost, and a connect call waiting"] = Base(h =>
            {
                h.Do((e, now) => e.HandleLinkError(e.Link, (int)SocketErrorCode.ConnectionReset, "reset", now));
                h.Do((e, now) => e.Connect(new object(), now));
            }),
            ["never connected, connecting"] = Fresh(h => h.Do((e, now) => e.Connect(new object(), now))),
            ["connecting again after a loss (backoff attempt 1)"] = Base(h =>
            {
                h.Do((e, now) => e.HandleLinkError(e.Link, (int)SocketErrorCode.ConnectionReset, "reset", now));
                h.Advance(h.Options.BackoffMaximumMs);
            }),
            ["... after a second loss before CONNACK (attempt 2, session in doubt)"] = Base(h =>
            {
                h.Do((e, now) => e.HandleLinkError(e.Link, (int)SocketErrorCode.ConnectionReset, "reset", now));
                h.Advance(h.Options.BackoffMaximumMs);
                h.Do((e, now) => e.HandleLinkOpened(h.LastOpened, now));
                h.Do((e, now) => e.HandleLinkError(e.Link, (int)SocketErrorCode.ConnectionReset, "reset", now));
                h.Advance(h.Options.BackoffMaximumMs);
            }),
        };
        var texts = variants.ToDictionary(v => v.Key, v => EngineText(v.Value.Engine));
        foreach (var (name, text) in texts)
        {
            output.WriteLine($"{name}:\n  {text}");
        }

        foreach (var a in texts)
        {
            foreach (var b in texts.Where(b => string.CompareOrdinal(a.Key, b.Key) < 0))
            {
                Assert.True(a.Value != b.Value, $"\"{a.Key}\" and \"{b.Key}\" have one fingerprint:\n{a.Value}");
            }
        }
    }

    [Fact]
    public void The_fingerprint_ignores_absolute_time_identifier_values_and_link_numbers()
    {
        EngineHarness first = Base();

        // The same state reached later, on a later link, with an identifier further on.
        EngineHarness later = Fresh(h =>
        {
            h.Connect();
            for (int i = 0; i < 4; i++)
            {
                OutboundMessage m = h.Publish("t", 1);
                h.Do((e, now) => e.HandlePubAck(e.Link, m.PacketId, now));
            }

            h.Advance(h.Options.EffectivePingIntervalMs);
            h.Do((e, now) => e.HandlePingResp(e.Link, now));
            h.Do((e, now) => e.HandleLinkError(e.Link, (int)SocketErrorCode.ConnectionReset, "reset", now));
            h.Advance(h.Options.BackoffMaximumMs);
            h.Do((e, now) => e.HandleLinkOpened(h.LastOpened, now));
            h.Do((e, now) => e.HandleConnAck(e.Link, false, 0, now));
            h.Publish("t", 1);
        });
        Assert.NotEqual(first.Now, later.Now);
        Assert.NotEqual(first.Engine.Link, later.Engine.Link);
        Assert.NotEqual(first.Engine.SnapshotHeld()[0].PacketId, later.Engine.SnapshotHeld()[0].PacketId);
        Assert.Equal(EngineText(first.Engine), EngineText(later.Engine));
        Assert.Equal(1, later.Engine.FingerprintRank(later.Engine.SnapshotHeld()[0].PacketId));
        Assert.Equal(0, later.Engine.FingerprintRank(later.Engine.SnapshotHeld()[0].PacketId - 1));
    }

    /// <summary>Connected with a new session, one QoS 1 message published and awaiting PUBACK; then <paramref name="then"/>.</summary>
    private static EngineHarness Base(Action<EngineHarness>? then = null) => Fresh(h =>
    {
        h.Connect();
        h.Publish("t", 1);
        then?.Invoke(h);
    });

    private static EngineHarness Fresh(Action<EngineHarness> steps)
    {
        var h = new EngineHarness(o =>
        {
            o.MaxInflight = 1;
            o.ResponseTimeMs = 3_000; // after the first ping (keepalive / 4 = 2 s), so the two are told apart
            o.StableLinkMs = 0; // every accepted link is stable at once: a reconnect leaves no backoff attempt behind
        });
        steps(h);
        return h;
    }

    private static string EngineText(SessionEngine engine)
    {
        var text = new TextSink();
        engine.Fingerprint(text);
        return text.ToString();
    }

    private static string Text(World w)
    {
        var text = new TextSink();
        w.Fingerprint(text);
        return text.ToString();
    }

    /// <summary>
    /// What can be seen of a world without the engine's fingerprint: the engine through its public API (times relative to
    /// now, identifiers by their order among the held messages), and the environment's own state.
    /// </summary>
    private static string Observe(World w)
    {
        SessionEngine e = w.Engine;
        OutboundMessage[] held = e.SnapshotHeld();
        var ids = held.Where(m => m.PacketId != 0).Select(m => m.PacketId).ToList();
        var parts = new List<string>
        {
            $"{e.State} {e.KeepAliveState} connected={e.IsConnected} link={(w.Phase == LinkPhase.None ? "none" : (e.Link - w.LinkNumber).ToString(CultureInfo.InvariantCulture))} held={e.HeldCount}/{e.HeldBytes} inflight={e.InFlightCount}",
            $"undelivered={e.UndeliveredCount} read={e.WantsToRead} refused={e.Statistics.SendsRefused}",
            e.PollTimeout() == SessionEngine.Never ? "no deadline" : "deadline +" + (e.PollTimeout() - e.Now).ToString(CultureInfo.InvariantCulture),
        };
        parts.AddRange(held.Select(m => $"[{m.Qos} {m.State} id#{ids.IndexOf(m.PacketId) + 1} {(m.CallerDetached ? "detached" : "waiting")} {m.Topic}]"));
        parts.AddRange(e.SnapshotSubscriptions().Select(s => $"sub {s.Filter} {s.RequestedQos}/{s.GrantedQos}"));
        var environment = new TextSink();
        w.FingerprintEnvironment(environment);
        parts.Add(environment.ToString());
        return string.Join(' ', parts);
    }
}
