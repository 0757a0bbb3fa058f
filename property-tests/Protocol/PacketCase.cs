using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Protocol;

/// <summary>
/// A packet handed to a test as its argument, by FsCheck (<see cref="PacketArbitraries"/>) or by a theory's rows. core's
/// packet types are internal, and a test method is public, so its parameter is this public shape around the packet.
/// </summary>
public sealed class PacketCase
{
    internal PacketCase(MqttPacket packet) => Packet = packet;

    /// <summary>The packet under test.</summary>
    internal MqttPacket Packet { get; }

    /// <summary>The packet's own text, as the test output showed it when the packet itself was the argument.</summary>
    public override string ToString() => Packet.ToString();
}
