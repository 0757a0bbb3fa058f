using StateMachineMqtt.Engine;
using StateMachineMqtt.Machines;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>
/// The engine refuses settings that cannot work, at construction, naming the setting; each bound's edge is accepted and
/// the value just past it refused. The defaults are the documented ones. (Stryker found all of this untested.)
/// </summary>
public sealed class EngineOptionsTests
{
    public static TheoryData<string, Action<EngineOptions>, Action<EngineOptions>, string> Bounds() => new()
    {
        { "keepalive below 0", o => o.KeepAliveMs = 0, o => o.KeepAliveMs = -1, "KeepAliveMs must be between 0 and 65,535 s" },
        { "keepalive above 65,535 s", o => o.KeepAliveMs = 65_535_000, o => o.KeepAliveMs = 65_535_001, "KeepAliveMs must be between 0 and 65,535 s" },
        { "ping interval above keepalive", o => { o.KeepAliveMs = 4_000; o.PingIntervalMs = 4_000; }, o => { o.KeepAliveMs = 4_000; o.PingIntervalMs = 4_001; }, "PingIntervalMs must be positive and at most KeepAliveMs" },
        { "ping interval of keepalive / 4 rounding to 0", o => o.KeepAliveMs = 4, o => o.KeepAliveMs = 3, "PingIntervalMs must be positive" },
        { "response time", o => o.ResponseTimeMs = 1, o => o.ResponseTimeMs = 0, "ResponseTimeMs must be positive" },
        { "re-publishes", o => o.MaxRepublishes = 0, o => o.MaxRepublishes = -1, "MaxRepublishes must be 0 or more" },
        { "in-flight window below 1", o => o.MaxInflight = 1, o => o.MaxInflight = 0, "MaxInflight must be between 1 and 65,535" },
        { "in-flight window above 65,535", o => o.MaxInflight = 65_535, o => o.MaxInflight = 65_536, "MaxInflight must be between 1 and 65,535" },
        { "queued messages", o => o.MaxQueuedMessages = 1, o => o.MaxQueuedMessages = 0, "MaxQueuedMessages, MaxQueuedBytes and ReceiveQueueLength must be at least 1" },
        { "queued bytes", o => o.MaxQueuedBytes = 1, o => o.MaxQueuedBytes = 0, "MaxQueuedMessages, MaxQueuedBytes and ReceiveQueueLength must be at least 1" },
        { "receive queue", o => o.ReceiveQueueLength = 1, o => o.ReceiveQueueLength = 0, "MaxQueuedMessages, MaxQueuedBytes and ReceiveQueueLength must be at least 1" },
        { "initial backoff", o => { o.BackoffInitialMs = 1; o.BackoffMaximumMs = 1; }, o => { o.BackoffInitialMs = 0; o.BackoffMaximumMs = 1; }, "BackoffInitialMs must be positive" },
        { "maximum below initial backoff", o => { o.BackoffInitialMs = 500; o.BackoffMaximumMs = 500; }, o => { o.BackoffInitialMs = 500; o.BackoffMaximumMs = 499; }, "BackoffMaximumMs at least BackoffInitialMs" },
        { "stable link time", o => o.StableLinkMs = 0, o => o.StableLinkMs = -1, "StableLinkMs, FirstConnectTimeoutMs and FirstConnectAttempts must be 0 or more" },
        { "first connect time", o => o.FirstConnectTimeoutMs = 0, o => o.FirstConnectTimeoutMs = -1, "StableLinkMs, FirstConnectTimeoutMs and FirstConnectAttempts must be 0 or more" },
        { "first connect attempts", o => o.FirstConnectAttempts = 0, o => o.FirstConnectAttempts = -1, "StableLinkMs, FirstConnectTimeoutMs and FirstConnectAttempts must be 0 or more" },
    };

    [Theory]
    [MemberData(nameof(Bounds))]
    public void Each_bound_accepts_its_edge_and_the_engine_refuses_the_value_past_it(string bound, Action<EngineOptions> edge, Action<EngineOptions> past, string message)
    {
        var accepted = new EngineOptions();
        edge(accepted);
        accepted.Validate();
        Assert.NotNull(Engine(accepted));

        var refused = new EngineOptions();
        past(refused);
        var e = Assert.Throws<ArgumentException>(() => Engine(refused));
        Assert.True(e.Message.Contains(message, StringComparison.Ordinal), $"{bound}: {e.Message}");
    }

    [Fact]
    public void The_engine_needs_its_options_machines_and_random_source()
    {
        var machines = new StatelessMachines();
        var random = new FixedRandom();
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new SessionEngine(null!, machines, random)).ParamName);
        Assert.Equal("machines", Assert.Throws<ArgumentNullException>(() => new SessionEngine(new EngineOptions(), null!, random)).ParamName);
        Assert.Equal("random", Assert.Throws<ArgumentNullException>(() => new SessionEngine(new EngineOptions(), machines, null!)).ParamName);
    }

    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var o = new EngineOptions();
        Assert.True(o.CleanSession);
        Assert.False(o.CleanSessionOnFirstConnect);
        Assert.Equal(60_000, o.KeepAliveMs);
        Assert.Equal(15_000, o.EffectivePingIntervalMs); // keepalive / 4
        Assert.Equal(10_000, o.ResponseTimeMs);
        Assert.Equal(4, o.MaxRepublishes);
        Assert.Equal(20, o.MaxInflight);
        Assert.Equal(10_000, o.MaxQueuedMessages);
        Assert.Equal(64L * 1024 * 1024, o.MaxQueuedBytes);
        Assert.Equal(1_000, o.ReceiveQueueLength);
        Assert.Equal(1_000, o.BackoffInitialMs);
        Assert.Equal(30_000, o.BackoffMaximumMs);
        Assert.Equal(30_000, o.StableLinkMs);
        Assert.Equal(0, o.FirstConnectTimeoutMs);
        Assert.Equal(0, o.FirstConnectAttempts);
        Assert.Null(o.Backoff);
    }

    private static SessionEngine Engine(EngineOptions options) => new(options, new StatelessMachines(), new FixedRandom());

    private sealed class FixedRandom : IRandomSource
    {
        public int Next(int exclusiveMaximum) => 0;
    }
}
