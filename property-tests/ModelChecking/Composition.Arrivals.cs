using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>Packets arriving at the broker and at the client (MqttClient.Receive.cs OnPacket).</summary>
public sealed partial class Composition
{
    private void BrokerAnswersConnect()
    {
        _s.ConnectInFlight = false;
        bool present = !options.CleanSession && _s.BrokerSession;
        if (!present)
        {
            _s.BrokerSession = true;
            _s.BrokerSubscriptions = false;
        }

        _s.ConnAck = present ? ConnAckInFlight.SessionPresent : ConnAckInFlight.NewSession;
    }

    private void ClientReceivesConnAck()
    {
        ConnAckInFlight answer = _s.ConnAck;
        _s.ConnAck = ConnAckInFlight.None;
        if (Received(isConnAck: true))
        {
            _s.ConnectOutstanding = false;
            _s.LinkAccepted = answer is ConnAckInFlight.SessionPresent or ConnAckInFlight.NewSession;
            FireConnection(answer switch // OnConnAck
            {
                ConnAckInFlight.SessionPresent => ConnectionTrigger.ConnAckSessionPresent,
                ConnAckInFlight.NewSession => ConnectionTrigger.ConnAckNewSession,
                ConnAckInFlight.RefusedRetryable => ConnectionTrigger.ConnAckRefusedRetryable,
                _ => ConnectionTrigger.ConnAckRefusedFatal,
            });
        }
    }

    private void BrokerReceivesPublish(int i)
    {
        HeldMessage m = _s.Get(i);
        m.PublishInFlight = false;
        m.BrokerHasIt = true;
        m.PubAckInFlight = true;
        _s.Set(i, m);
    }

    private void ClientReceivesPubAck(int i)
    {
        HeldMessage m = _s.Get(i);
        m.PubAckInFlight = false;
        _s.Set(i, m);
        if (!Received())
        {
            return;
        }

        for (int j = 0; j < _s.Count; j++) // OnPubAck: the in-flight message with this packet identifier
        {
            if (_s.Get(j).PacketId == m.PacketId && m.PacketId != 0)
            {
                FirePublish(j, PublishTrigger.PubAck);
                Pump();
                return;
            }
        }
    }

    private void ClientReceivesSubAck()
    {
        _s.SubAckInFlight = false;
        if (Received() && _s.RestoreSent) // OnRequestAck
        {
            _s.RestorePending = false;
            _s.RestoreSent = false;
        }
    }

    /// <summary>
    /// OnPacket's prologue: the link is alive (KeepAlive PacketReceived). In AwaitingConnAck only a CONNACK is dispatched, and a
    /// CONNACK at any other time is not a packet a broker may send; either mistake fires ProtocolViolation. True when the packet is dispatched.
    /// </summary>
    private bool Received(bool isConnAck = false)
    {
        _s.Phase = ClockPhase.Fresh;
        FireKeepAlive(KeepAliveTrigger.PacketReceived);
        if ((_s.Connection == ConnectionState.AwaitingConnAck) == isConnAck)
        {
            return true;
        }

        FireConnection(ConnectionTrigger.ProtocolViolation);
        return false;
    }
}
