namespace StateMachineMqtt.Nano.Codec
{
    // The client-to-broker packets (CONNECT, SUBSCRIBE, UNSUBSCRIBE): a device never receives these, but decoding them
    // lets test brokers and the conformance properties read the device's own bytes with the device's code.
    public static partial class NanoPacketReader
    {
        private static void DecodeConnect(byte[] buffer, int at, int end, NanoPacket packet)
        {
            string name = ReadString(buffer, ref at, end, "CONNECT protocol name");
            if (name != "MQTT")
            {
                throw new NanoProtocolException("CONNECT protocol name is \"" + name + "\", not \"MQTT\" [MQTT-3.1.2-1].");
            }

            if (end - at < 4)
            {
                throw new NanoProtocolException("CONNECT ends inside its variable header: the packet is truncated.");
            }

            int level = buffer[at++];
            if (level != 4)
            {
                throw new NanoProtocolException("CONNECT protocol level is " + level.ToString() + "; MQTT 3.1.1 is level 4 [MQTT-3.1.2-2].");
            }

            int flags = buffer[at++];
            if ((flags & 0x01) != 0)
            {
                throw new NanoProtocolException("CONNECT flags have the reserved bit 0 set [MQTT-3.1.2-3].");
            }

            bool hasWill = (flags & 0x04) != 0;
            int willQos = (flags >> 3) & 0x03;
            bool willRetain = (flags & 0x20) != 0;
            bool hasPassword = (flags & 0x40) != 0;
            bool hasUserName = (flags & 0x80) != 0;
            if (!hasWill && (willQos != 0 || willRetain))
            {
                throw new NanoProtocolException("CONNECT flags set will QoS or will retain without the will flag [MQTT-3.1.2-11/13/15].");
            }

            if (willQos == 3)
            {
                throw new NanoProtocolException("CONNECT will QoS is 3, which does not exist [MQTT-3.1.2-14].");
            }

            if (hasPassword && !hasUserName)
            {
                throw new NanoProtocolException("CONNECT flags set the password flag without the user name flag [MQTT-3.1.2-22].");
            }

            NanoConnectOptions connect = new NanoConnectOptions();
            connect.CleanSession = (flags & 0x02) != 0;
            connect.KeepAliveSeconds = ReadUInt16(buffer, ref at, end, "CONNECT keepalive");
            connect.ClientId = ReadString(buffer, ref at, end, "CONNECT client identifier");
            if (hasWill)
            {
                connect.WillTopic = ReadTopicName(buffer, ref at, end, "CONNECT will topic");
                connect.WillPayload = ReadBinary(buffer, ref at, end, "CONNECT will message");
                connect.WillQos = willQos;
                connect.WillRetain = willRetain;
            }

            if (hasUserName)
            {
                connect.UserName = ReadString(buffer, ref at, end, "CONNECT user name");
            }

            if (hasPassword)
            {
                connect.Password = ReadBinary(buffer, ref at, end, "CONNECT password");
            }

            ExpectEnd(at, end, "CONNECT");
            packet.Connect = connect;
        }

        private static void DecodeSubscribe(byte[] buffer, int at, int end, NanoPacket packet)
        {
            packet.PacketId = ReadPacketId(buffer, ref at, end, "SUBSCRIBE");
            int count = CountFilters(buffer, at, end, 1, "SUBSCRIBE");
            string[] filters = new string[count];
            byte[] qos = new byte[count];
            for (int i = 0; i < count; i++)
            {
                filters[i] = ReadFilter(buffer, ref at, end, "SUBSCRIBE");
                if (buffer[at] > 2)
                {
                    throw new NanoProtocolException("SUBSCRIBE requested QoS byte for \"" + filters[i] + "\" must be 0, 1 or 2 with the upper 6 bits 0 [MQTT-3.8.3-4].");
                }

                qos[i] = buffer[at++];
            }

            packet.TopicFilters = filters;
            packet.RequestedQos = qos;
        }

        private static void DecodeUnsubscribe(byte[] buffer, int at, int end, NanoPacket packet)
        {
            packet.PacketId = ReadPacketId(buffer, ref at, end, "UNSUBSCRIBE");
            int count = CountFilters(buffer, at, end, 0, "UNSUBSCRIBE");
            string[] filters = new string[count];
            for (int i = 0; i < count; i++)
            {
                filters[i] = ReadFilter(buffer, ref at, end, "UNSUBSCRIBE");
            }

            packet.TopicFilters = filters;
        }

        /// <summary>Counts the filters first, so the arrays are allocated once at their size (no growing lists on the device).</summary>
        private static int CountFilters(byte[] buffer, int at, int end, int trailer, string what)
        {
            int count = 0;
            while (at < end)
            {
                int length = ReadUInt16(buffer, ref at, end, what + " topic filter");
                if (end - at < length + trailer)
                {
                    throw new NanoProtocolException(what + " topic filter runs past the end of its packet: the packet is truncated.");
                }

                at += length + trailer;
                count++;
            }

            if (count == 0)
            {
                throw new NanoProtocolException(what + " has no topic filters; it needs at least one [MQTT-3.8.3-3], [MQTT-3.10.3-2].");
            }

            return count;
        }

        private static string ReadFilter(byte[] buffer, ref int at, int end, string what)
        {
            string filter = ReadString(buffer, ref at, end, what + " topic filter");
            if (filter.Length == 0)
            {
                throw new NanoProtocolException(what + " has an empty topic filter; filters must be at least one character [MQTT-4.7.3-1].");
            }

            for (int i = 0; i < filter.Length; i++)
            {
                char c = filter[i];
                bool levelStart = i == 0 || filter[i - 1] == '/';
                bool levelEnd = i == filter.Length - 1 || filter[i + 1] == '/';
                if (c == '#' && (!levelStart || i != filter.Length - 1))
                {
                    throw new NanoProtocolException(what + " topic filter \"" + filter + "\" has a '#' that is not a whole, last level [MQTT-4.7.1-2].");
                }

                if (c == '+' && (!levelStart || !levelEnd))
                {
                    throw new NanoProtocolException(what + " topic filter \"" + filter + "\" has a '+' that does not fill a whole level [MQTT-4.7.1-3].");
                }
            }

            return filter;
        }

        internal static void ExpectEnd(int at, int end, string what)
        {
            if (at != end)
            {
                throw new NanoProtocolException(what + " has " + (end - at).ToString() + " bytes after its last field: the packet is malformed.");
            }
        }
    }
}
