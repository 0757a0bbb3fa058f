using StateMachineMqtt.TestKit.Brokers;
using StateMachineMqtt.TestKit.Proxy;

namespace StateMachineMqtt.Cli.Demo;

/// <summary>What a fault phase can reach: the proxy between clients and broker, and the broker when it is ours.</summary>
/// <param name="Proxy">The fault proxy both clients connect through.</param>
/// <param name="Broker">The in-process broker, or null with --broker.</param>
/// <param name="Options">Demo timings.</param>
/// <param name="Time">Clock.</param>
/// <param name="Report">Prints a progress line.</param>
internal sealed record DemoContext(FaultProxy Proxy, InProcessMqttnetBroker? Broker, DemoOptions Options, TimeProvider Time, Action<string> Report);
