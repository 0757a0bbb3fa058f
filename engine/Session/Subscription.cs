namespace StateMachineMqtt.Engine
{
    /// <summary>A subscription in force: restored, at the QoS the application asked for, whenever the session is lost (I8).</summary>
    public sealed class Subscription
    {
        internal Subscription(string filter, int requestedQos, int grantedQos, int options, int identifier)
        {
            Filter = filter;
            RequestedQos = requestedQos;
            GrantedQos = grantedQos;
            Options = options;
            Identifier = identifier;
        }

        /// <summary>The topic filter.</summary>
        public string Filter { get; }

        /// <summary>The QoS the application asked for; a restore asks for it again [MQTT-3.8.4-5].</summary>
        public int RequestedQos { get; internal set; }

        /// <summary>MQTT 5: its other Subscription Options bits (No Local, Retain As Published, Retain Handling), asked for again by a restore.</summary>
        public int Options { get; internal set; }

        /// <summary>MQTT 5: its Subscription Identifier, or 0; a restore sends it again.</summary>
        public int Identifier { get; internal set; }

        /// <summary>The QoS the broker last granted.</summary>
        public int GrantedQos { get; internal set; }
    }
}
