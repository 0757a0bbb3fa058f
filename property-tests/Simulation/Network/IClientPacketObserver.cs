using StateMachineMqtt.Spec;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;

namespace StateMachineMqtt.PropertyTests.Simulation.Network;

/// <summary>
/// Sees every packet a client writes, decoded at the client's end of the link, before any network fault can lose it.
/// This is where client conformance (I3, I4) is judged: what the client sent, not what happened to arrive.
/// </summary>
internal interface IClientPacketObserver
{
    /// <summary>The client flushed <paramref name="packet"/> on <paramref name="link"/>.</summary>
    void OnClientPacket(SimulatedLink link, MqttPacket packet, MqttProtocolVersion version);

    /// <summary>The client wrote bytes that do not decode; the link's tap stops decoding.</summary>
    void OnClientMalformed(SimulatedLink link, MqttProtocolException error);
}
