using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Client
{
    /// <summary>
    /// What a client that speaks MQTT 5 holds beyond a 3.1.1 one, in one object made only for it (a 3.1.1 client holds
    /// one null reference): its CONNECT properties, built once from the options; its Topic Aliases; the reason code
    /// behind its last error; and the application's MQTT 5 callbacks, if its events object has them.
    /// </summary>
    internal sealed class NanoMqtt5Link
    {
        public NanoMqtt5Link(NanoMqttOptions options, INanoMqttEvents events)
        {
            Events = events as INanoMqtt5Events;
            Aliases = options.TopicAliasMaximum > 0 || options.OutboundTopicAliases > 0 ? new NanoTopicAliases(options.OutboundTopicAliases, options.TopicAliasMaximum) : null;
            ConnectProperties = new NanoProperties();
            long expiry = ConnectRules.SessionExpirySeconds(options.Connect.CleanSession, options.SessionExpirySeconds);
            if (expiry > 0)
            {
                ConnectProperties.SessionExpiryInterval = expiry; // absent means 0 [MQTT-3.1.2-11]
            }

            // The broker must not send more [MQTT-3.1.2-24]: it drops a message too large for this client instead.
            ConnectProperties.MaximumPacketSize = options.ReceiveBufferSize;
            if (options.TopicAliasMaximum > 0)
            {
                ConnectProperties.TopicAliasMaximum = options.TopicAliasMaximum; // absent means 0: the broker may set none
            }

            if (options.ConnectUserProperties != null && options.ConnectUserProperties.Length > 0)
            {
                ConnectProperties.UserProperties = options.ConnectUserProperties; // the caller's array: nothing copied
            }

            if (!options.RequestProblemInformation)
            {
                ConnectProperties.RequestProblemInformation = 0; // absent means 1: the broker may
            }

            if (options.RequestResponseInformation)
            {
                ConnectProperties.RequestResponseInformation = 1; // the broker may then offer Response Information [MQTT-3.1.2-28]
            }

            if (options.ReceiveMaximum > 0)
            {
                // The broker keeps no more QoS 1 and 2 messages than this unacknowledged [MQTT-3.3.4-9]; absent means 65,535.
                ConnectProperties.ReceiveMaximum = options.ReceiveMaximum;
            }

            // A bad string or a property a will may not carry fails here, naming it, not at the first connect.
            NanoPropertyWriter.Measure(ConnectProperties, PropertyContext.Connect, "CONNECT", 0);
            NanoPropertyWriter.Measure(options.Connect.WillProperties, PropertyContext.Will, "CONNECT will", 0);
        }

        /// <summary>The application's MQTT 5 callbacks, or null.</summary>
        public INanoMqtt5Events Events { get; }

        /// <summary>The link's Topic Aliases, or null when the options ask for none either way.</summary>
        public NanoTopicAliases Aliases { get; }

        /// <summary>Every CONNECT's properties.</summary>
        public NanoProperties ConnectProperties { get; }

        /// <summary>The reason code behind <see cref="NanoMqttClient.LastError"/>, or -1.</summary>
        public int LastReasonCode { get; set; } = -1;

        /// <summary>Throws ArgumentException naming the first MQTT 5 setting that cannot work.</summary>
        public static void Validate(NanoMqttOptions options)
        {
            bool v5 = options.ProtocolVersion == MqttProtocolVersion.V500;
            if (!v5 && options.ProtocolVersion != MqttProtocolVersion.V311)
            {
                throw new System.ArgumentException("NanoMqttOptions.ProtocolVersion must be V311 (MQTT 3.1.1) or V500 (MQTT 5).");
            }

            if (!v5 && (options.SessionExpirySeconds != -1 || options.TopicAliasMaximum != 0 || options.OutboundTopicAliases != 0))
            {
                throw new System.ArgumentException("NanoMqttOptions: SessionExpirySeconds, TopicAliasMaximum and OutboundTopicAliases need MQTT 5. Set ProtocolVersion = MqttProtocolVersion.V500, or leave them at -1, 0 and 0.");
            }

            if (!v5)
            {
                NeedsMqtt5(options.ConnectUserProperties != null && options.ConnectUserProperties.Length > 0, "NanoMqttOptions.ConnectUserProperties", "null");
                NeedsMqtt5(!options.RequestProblemInformation, "NanoMqttOptions.RequestProblemInformation", "true");
                NeedsMqtt5(options.RequestResponseInformation, "NanoMqttOptions.RequestResponseInformation", "false");
                NeedsMqtt5(options.ReceiveMaximum != 0, "NanoMqttOptions.ReceiveMaximum", "0");
                NeedsMqtt5(options.Connect != null && options.Connect.WillProperties != null, "NanoConnectOptions.WillProperties", "null");
            }
            else if (options.Connect != null && options.Connect.WillProperties != null && options.Connect.WillTopic == null)
            {
                throw new System.ArgumentException("NanoConnectOptions.WillProperties are set but there is no will: set WillTopic (and WillPayload) too, or leave WillProperties null.");
            }

            if (options.ReceiveMaximum < 0 || options.ReceiveMaximum > 65535)
            {
                throw new System.ArgumentException("NanoMqttOptions.ReceiveMaximum must be from 1 to 65,535, or 0 to send none (the broker may then send 65,535), not " + options.ReceiveMaximum.ToString() + ".");
            }

            if (options.SessionExpirySeconds < -1 || options.SessionExpirySeconds > 4294967295L)
            {
                throw new System.ArgumentException("NanoMqttOptions.SessionExpirySeconds must be -1 (follow CleanSession) or 0 to 4,294,967,295 seconds [MQTT-3.1.2-11], not " + options.SessionExpirySeconds.ToString() + ".");
            }

            if (options.TopicAliasMaximum < 0 || options.TopicAliasMaximum > 65535 || options.OutboundTopicAliases < 0 || options.OutboundTopicAliases > 65535)
            {
                throw new System.ArgumentException("NanoMqttOptions: TopicAliasMaximum and OutboundTopicAliases must be 0 to 65,535 (a few suit a device: each is a table entry).");
            }
        }

        private static void NeedsMqtt5(bool set, string setting, string unset)
        {
            if (set)
            {
                throw new System.ArgumentException(setting + " is an MQTT 5 setting, and this client speaks MQTT 3.1.1: set NanoMqttOptions.ProtocolVersion = MqttProtocolVersion.V500, or leave it " + unset + ".");
            }
        }
    }
}
