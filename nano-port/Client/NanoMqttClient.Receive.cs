using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Client
{
    // What each packet from the broker does. Before CONNACK only CONNACK is expected; after it, every packet also tells
    // the KeepAlive machine the link is alive.
    public sealed partial class NanoMqttClient
    {
        private void Handle(NanoPacket packet)
        {
            _lastReceived = _clock.NowMilliseconds;
            ConnectionState state = _connection.State;
            if (state == ConnectionState.AwaitingConnAck)
            {
                HandleConnAck(packet);
                return;
            }

            if (state != ConnectionState.Connected)
            {
                return; // Disconnecting: whatever arrives no longer matters
            }

            FireKeepAlive(KeepAliveTrigger.PacketReceived);
            switch (packet.Type)
            {
                case NanoPacketType.Publish:
                    HandlePublish(packet);
                    break;
                case NanoPacketType.PubAck:
                    OnPubAck(packet.PacketId);
                    break;
                case NanoPacketType.SubAck:
                    OnSubAck(packet.PacketId, packet.ReturnCodes);
                    break;
                case NanoPacketType.UnsubAck:
                    OnUnsubAck(packet.PacketId);
                    break;
                case NanoPacketType.PingResp:
                    break;
                default:
                    Violation("the broker sent packet type " + ((int)packet.Type).ToString() + ", which a broker never sends to a client");
                    break;
            }
        }

        private void HandleConnAck(NanoPacket packet)
        {
            if (packet.Type != NanoPacketType.ConnAck)
            {
                Violation("the broker sent packet type " + ((int)packet.Type).ToString() + " before CONNACK [MQTT-3.2.0-1]");
                return;
            }

            _connectUnanswered = false;
            switch (packet.ReturnCode)
            {
                case 0:
                    FireConnection(packet.SessionPresent ? ConnectionTrigger.ConnAckSessionPresent : ConnectionTrigger.ConnAckNewSession);
                    return;
                case 3:
                    LastError = "CONNACK 0x03: server unavailable";
                    FireConnection(ConnectionTrigger.ConnAckRefusedRetryable);
                    return;
                default:
                    _failReason = RefusalReason(packet.ReturnCode);
                    LastError = _failReason;
                    FireConnection(ConnectionTrigger.ConnAckRefusedFatal);
                    return;
            }
        }

        private void HandlePublish(NanoPacket packet)
        {
            if (packet.Qos == 2)
            {
                Violation("the broker sent a QoS 2 PUBLISH, but the device client subscribes at QoS 0 or 1 only [MQTT-3.8.4-6]");
                return;
            }

            if (packet.Qos == 1)
            {
                // Acknowledge first: if the application's callback throws, the broker still stops re-sending.
                _outbox.Compact();
                Sent(NanoPacketWriter.WritePubAck(_outbox.Buffer, _outbox.WriteOffset, packet.PacketId));
            }

            _events.MessageReceived(packet.Topic, packet.Payload, packet.Qos, packet.Retain, packet.Dup);
        }

        private void Violation(string reason)
        {
            LastError = reason;
            FireConnection(ConnectionTrigger.ProtocolViolation);
        }

        private static string RefusalReason(int code)
        {
            switch (code)
            {
                case 1: return "CONNACK 0x01: the broker does not accept MQTT 3.1.1 (protocol level 4). Use a broker that speaks MQTT 3.1.1.";
                case 2: return "CONNACK 0x02: the broker rejected the client identifier. Set another NanoConnectOptions.ClientId.";
                case 4: return "CONNACK 0x04: bad user name or password. Check NanoConnectOptions.UserName and Password.";
                default: return "CONNACK 0x05: not authorised. Check the broker's access rules for this client and user.";
            }
        }
    }
}
