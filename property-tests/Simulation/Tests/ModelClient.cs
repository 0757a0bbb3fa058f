using System.Net.Sockets;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.PropertyTests.Simulation.Network;

namespace StateMachineMqtt.PropertyTests.Simulation.Tests;

/// <summary>
/// A minimal, correct QoS 1 publisher with a persistent session, built from raw packets: CONNECT first, nothing before
/// CONNACK, DUP on every re-send, never on a first send. Used to show the fixtures report no false violations under faults.
/// </summary>
internal sealed class ModelClient
{
    private readonly SimulationWorld _world;
    private readonly Dictionary<ushort, PublishPacket> _outstanding = [];
    private RawMqttPeer? _peer;
    private int _handled;
    private bool _connAcked;
    private ushort _lastId;

    public ModelClient(SimulationWorld world, string clientId)
    {
        _world = world;
        ClientId = clientId;
    }

    public string ClientId { get; }

    /// <summary>Payloads handed to this client, by first byte pair (a counter).</summary>
    public List<int> Published { get; } = [];

    public bool IsLive => _peer is { EndOfStream: false, ReadError: null } && _peer.Link.State != LinkState.Reset;

    public SimulatedLink? Link => _peer?.Link;

    public int OutstandingCount => _outstanding.Count;

    public void Connect()
    {
        if (IsLive)
        {
            return;
        }

        try
        {
            _peer = RawMqttPeer.Open(_world, ClientId);
            _handled = 0;
            _connAcked = false;
            Send(new ConnectPacket(ClientId, CleanSession: false, KeepAliveSeconds: 60));
        }
        catch (SocketException)
        {
            _peer = null;
        }
    }

    public void Publish(int counter)
    {
        if (!_connAcked || _outstanding.Count >= 20)
        {
            return;
        }

        do
        {
            _lastId = _lastId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastId + 1);
        }
        while (_outstanding.ContainsKey(_lastId));

        var packet = new PublishPacket($"data/{ClientId}", BitConverter.GetBytes(counter), MqttQualityOfService.AtLeastOnce, false, false, _lastId);
        _outstanding[_lastId] = packet with { Dup = true };
        Published.Add(counter);
        Send(packet);
    }

    /// <summary>Reacts to what arrived: CONNACK (then re-send outstanding with DUP), PUBACK, inbound PUBLISH.</summary>
    public void Process()
    {
        if (_peer is null)
        {
            return;
        }

        while (_handled < _peer.Received.Count)
        {
            switch (_peer.Received[_handled++])
            {
                case ConnAckPacket { ReturnCode: ConnectReturnCode.Accepted }:
                    _connAcked = true;
                    foreach (PublishPacket resend in _outstanding.Values.OrderBy(p => p.PacketId).ToList())
                    {
                        Send(resend);
                    }

                    break;
                case PubAckPacket ack:
                    _outstanding.Remove(ack.PacketId);
                    break;
                case PublishPacket { QualityOfService: MqttQualityOfService.AtLeastOnce } inbound:
                    Send(new PubAckPacket(inbound.PacketId));
                    break;
            }
        }
    }

    private void Send(MqttPacket packet)
    {
        try
        {
            _peer?.Send(packet);
        }
        catch (Exception ex) when (ex is SocketException or InvalidOperationException)
        {
            // The link died; the next Connect opens a new one.
        }
    }
}
