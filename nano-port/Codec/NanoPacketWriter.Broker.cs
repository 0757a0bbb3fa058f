using System;

namespace StateMachineMqtt.Nano.Codec
{
    // The broker's half (CONNACK, SUBACK, UNSUBACK, PINGRESP): a device never sends these, but test brokers and the
    // conformance properties encode them with the same code the device decodes them with.
    public static partial class NanoPacketWriter
    {
        /// <summary>PINGRESP [MQTT-3.13].</summary>
        public static readonly byte[] PingResp = new byte[] { 0xD0, 0x00 };

        /// <summary>CONNACK [MQTT-3.2]: session present only with return code 0 [MQTT-3.2.2-4].</summary>
        public static int WriteConnAck(byte[] buffer, int offset, bool sessionPresent, int returnCode)
        {
            if (returnCode < 0 || returnCode > 5)
            {
                throw new ArgumentException("CONNACK return code " + returnCode.ToString() + " is reserved; MQTT 3.1.1 defines 0 to 5 [MQTT-3.2.2.3].");
            }

            if (sessionPresent && returnCode != 0)
            {
                throw new ArgumentException("CONNACK refusing the connection must not set session present [MQTT-3.2.2-4].");
            }

            if (!Fits(buffer, offset, 2))
            {
                return -1;
            }

            int at = WireFormat.WriteHeader(buffer, offset, 0x20, 2);
            buffer[at++] = sessionPresent ? (byte)1 : (byte)0;
            buffer[at++] = (byte)returnCode;
            return at - offset;
        }

        /// <summary>SUBACK [MQTT-3.9]: one return code per filter, 0-2 or 0x80.</summary>
        public static int WriteSubAck(byte[] buffer, int offset, int packetId, byte[] returnCodes)
        {
            WireFormat.EnsurePacketId(packetId, "SUBACK");
            if (returnCodes == null || returnCodes.Length == 0)
            {
                throw new ArgumentException("SUBACK needs one return code per topic filter of its SUBSCRIBE [MQTT-3.8.4-5].");
            }

            for (int i = 0; i < returnCodes.Length; i++)
            {
                if (returnCodes[i] > 2 && returnCodes[i] != 0x80)
                {
                    throw new ArgumentException("SUBACK return code " + returnCodes[i].ToString() + " is reserved; use 0, 1, 2 or 0x80 [MQTT-3.9.3-2].");
                }
            }

            int remaining = 2 + returnCodes.Length;
            if (!Fits(buffer, offset, remaining))
            {
                return -1;
            }

            int at = WireFormat.WriteHeader(buffer, offset, 0x90, remaining);
            at = WireFormat.WriteUInt16(buffer, at, packetId);
            Array.Copy(returnCodes, 0, buffer, at, returnCodes.Length);
            return at + returnCodes.Length - offset;
        }

        /// <summary>UNSUBACK [MQTT-3.11].</summary>
        public static int WriteUnsubAck(byte[] buffer, int offset, int packetId)
        {
            return WriteIdOnly(buffer, offset, 0xB0, packetId, "UNSUBACK");
        }
    }
}
