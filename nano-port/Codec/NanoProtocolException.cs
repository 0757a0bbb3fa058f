using System;

namespace StateMachineMqtt.Nano.Codec
{
    /// <summary>The broker sent bytes that break MQTT (3.1.1 or 5, as the client speaks), or a packet larger than the receive buffer: close the link [MQTT-4.8.0-1].</summary>
    public class NanoProtocolException : Exception
    {
        /// <summary>Creates the exception with a message saying what was wrong.</summary>
        public NanoProtocolException(string message)
            : base(message)
        {
        }
    }
}
