using System;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Codec
{
    // MQTT 5 bodies: the 3.1.1 layouts plus reason codes and property sections, held to spec/'s ReasonCodeTable and
    // PropertyTable. Anything they forbid is a protocol error.
    public static partial class NanoPacketReader
    {
        private static NanoProperties DecodeBody5(NanoPacketType type, int first, byte[] buffer, int at, int length, NanoPacket packet)
        {
            int end = at + length;
            NanoProperties properties = null;
            switch (type)
            {
                case NanoPacketType.ConnAck:
                    int flags = ReadByte(buffer, ref at, end, "CONNACK acknowledge flags");
                    if ((flags & 0xFE) != 0)
                    {
                        throw new NanoProtocolException("CONNACK acknowledge flags have reserved bits 7-1 set [MQTT-3.2.2-1].");
                    }

                    packet.ReturnCode = ReadReasonCode(buffer, ref at, end, PropertyContext.ConnAck, "CONNACK");
                    if (flags != 0 && packet.ReturnCode != 0)
                    {
                        throw new NanoProtocolException("CONNACK refuses the connection (reason code 0x" + packet.ReturnCode.ToString("X2") + ") yet sets Session Present [MQTT-3.2.2-6].");
                    }

                    packet.SessionPresent = flags != 0;
                    properties = NanoPropertyReader.Read(buffer, ref at, end, PropertyContext.ConnAck, "CONNACK");
                    break;
                case NanoPacketType.Publish:
                    properties = DecodePublish5(first, buffer, at, end, packet);
                    return properties;
                case NanoPacketType.PubAck:
                    properties = DecodeAck5(buffer, ref at, end, PropertyContext.PubAck, "PUBACK", packet);
                    break;
                case NanoPacketType.PubRec:
                    properties = DecodeAck5(buffer, ref at, end, PropertyContext.PubRec, "PUBREC", packet);
                    break;
                case NanoPacketType.PubRel:
                    properties = DecodeAck5(buffer, ref at, end, PropertyContext.PubRel, "PUBREL", packet);
                    break;
                case NanoPacketType.PubComp:
                    properties = DecodeAck5(buffer, ref at, end, PropertyContext.PubComp, "PUBCOMP", packet);
                    break;
                case NanoPacketType.SubAck:
                    properties = DecodeCodes5(buffer, ref at, end, PropertyContext.SubAck, "SUBACK", packet);
                    break;
                case NanoPacketType.UnsubAck:
                    properties = DecodeCodes5(buffer, ref at, end, PropertyContext.UnsubAck, "UNSUBACK", packet);
                    break;
                case NanoPacketType.PingReq:
                case NanoPacketType.PingResp:
                    ExpectLength(length, 0, "PINGREQ and PINGRESP");
                    break;
                case NanoPacketType.Disconnect:
                    properties = DecodeReasonOnly5(buffer, ref at, end, PropertyContext.Disconnect, "DISCONNECT", packet);
                    break;
                case NanoPacketType.Auth:
                    properties = DecodeReasonOnly5(buffer, ref at, end, PropertyContext.Auth, "AUTH", packet);
                    break;
                default:
                    // CONNECT, SUBSCRIBE, UNSUBSCRIBE: only clients send them, and the engine closes the link on any.
                    return null;
            }

            ExpectEnd(at, end, PacketName(type));
            return properties;
        }

        private static NanoProperties DecodePublish5(int first, byte[] buffer, int at, int end, NanoPacket packet)
        {
            packet.Dup = (first & 0x08) != 0;
            packet.Qos = (first >> 1) & 0x03;
            packet.Retain = (first & 0x01) != 0;
            string topic = ReadString(buffer, ref at, end, "PUBLISH topic");
            packet.PacketId = packet.Qos > 0 ? ReadPacketId(buffer, ref at, end, "PUBLISH") : 0;
            NanoProperties properties = NanoPropertyReader.Read(buffer, ref at, end, PropertyContext.Publish, "PUBLISH");
            if (topic.Length > 0 || properties == null || properties.TopicAlias == 0)
            {
                // Empty only when a Topic Alias stands for it [MQTT-3.3.2-8].
                CheckTopicName(topic, "PUBLISH topic");
            }

            if (properties != null && properties.ResponseTopic != null)
            {
                CheckTopicName(properties.ResponseTopic, "PUBLISH Response Topic");
            }

            byte[] payload = new byte[end - at];
            Array.Copy(buffer, at, payload, 0, payload.Length);
            packet.Topic = topic;
            packet.Payload = payload;
            packet.BodyToSkip = 0;
            packet.PacketSize = 0;
            return properties;
        }

        /// <summary>PUBACK, PUBREC, PUBREL, PUBCOMP: a Remaining Length of 2 is success without properties, 3 a code without them [MQTT-3.4.2.1].</summary>
        private static NanoProperties DecodeAck5(byte[] buffer, ref int at, int end, PropertyContext context, string name, NanoPacket packet)
        {
            packet.PacketId = ReadPacketId(buffer, ref at, end, name);
            packet.ReturnCode = at < end ? ReadReasonCode(buffer, ref at, end, context, name) : 0;
            return at < end ? NanoPropertyReader.Read(buffer, ref at, end, context, name) : null;
        }

        /// <summary>DISCONNECT and AUTH: an empty body is a success without properties, one byte a code without them.</summary>
        private static NanoProperties DecodeReasonOnly5(byte[] buffer, ref int at, int end, PropertyContext context, string name, NanoPacket packet)
        {
            packet.ReturnCode = at < end ? ReadReasonCode(buffer, ref at, end, context, name) : 0;
            return at < end ? NanoPropertyReader.Read(buffer, ref at, end, context, name) : null;
        }

        /// <summary>SUBACK and UNSUBACK: packet identifier, properties, then one reason code per filter of the request.</summary>
        private static NanoProperties DecodeCodes5(byte[] buffer, ref int at, int end, PropertyContext context, string name, NanoPacket packet)
        {
            packet.PacketId = ReadPacketId(buffer, ref at, end, name);
            NanoProperties properties = NanoPropertyReader.Read(buffer, ref at, end, context, name);
            if (at == end)
            {
                throw new NanoProtocolException(name + " has no reason codes; it needs one per topic filter of the request [MQTT-3.9.3-1].");
            }

            byte[] codes = new byte[end - at];
            for (int i = 0; i < codes.Length; i++)
            {
                codes[i] = (byte)ReadReasonCode(buffer, ref at, end, context, name);
            }

            packet.ReturnCodes = codes;
            return properties;
        }

        private static int ReadReasonCode(byte[] buffer, ref int at, int end, PropertyContext context, string name)
        {
            int code = ReadByte(buffer, ref at, end, name + " reason code");
            ReasonCodeRow row = ReasonCodeTable.Find(Mqtt5Tables.ReasonCodes, code);
            if (row == null || (row.Packets & context) == 0)
            {
                throw new NanoProtocolException(name + " carries reason code 0x" + code.ToString("X2")
                    + (row == null ? ", which MQTT 5 does not define" : " (" + row.Name + "), which it may not") + " [MQTT-2.4]: a protocol error.");
            }

            return code;
        }

        private static int ReadByte(byte[] buffer, ref int at, int end, string what)
        {
            if (at >= end)
            {
                throw new NanoProtocolException("The " + what + " is missing: the packet is truncated.");
            }

            return buffer[at++];
        }

        private static void CheckTopicName(string topic, string what)
        {
            string problem = WireFormat.TopicNameProblem(topic, what);
            if (problem != null)
            {
                throw new NanoProtocolException(problem);
            }
        }

        private static string PacketName(NanoPacketType type)
        {
            switch (type)
            {
                case NanoPacketType.ConnAck: return "CONNACK";
                case NanoPacketType.SubAck: return "SUBACK";
                case NanoPacketType.Disconnect: return "DISCONNECT";
                case NanoPacketType.Auth: return "AUTH";
                case NanoPacketType.PingReq: return "PINGREQ";
                case NanoPacketType.PingResp: return "PINGRESP";
                default: return IdOnlyName(type);
            }
        }
    }
}
