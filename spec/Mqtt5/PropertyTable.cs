// Oblivious on purpose: the nano builds of these sources have no nullable context, and Find returns null for an unknown id.
#nullable disable
using I = StateMachineMqtt.Spec.PropertyId;
using T = StateMachineMqtt.Spec.PropertyType;
using C = StateMachineMqtt.Spec.PropertyContext;

namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// The MQTT 5 properties as data (section 2.2.2.2, table 2-4): what each is, where it may appear, which may repeat, and
    /// the values each allows. A decoder refuses anything else as a protocol error: an unknown identifier, a property in a
    /// packet that may not carry it, a second copy of one that may not repeat, or a value out of range.
    /// </summary>
    public static class PropertyTable
    {
        private const long FourByteMaximum = 4294967295L;
        private const long VariableByteMaximum = 268435455L;

        private const C AllAcks = C.PubAck | C.PubRec | C.PubRel | C.PubComp;
        private const C Everywhere = C.Connect | C.Will | C.ConnAck | C.Publish | AllAcks | C.Subscribe | C.SubAck | C.Unsubscribe | C.UnsubAck | C.Disconnect | C.Auth;
        private const C MessageContexts = C.Publish | C.Will;

        /// <summary>Returns a fresh copy of the rows.</summary>
        public static PropertyRow[] CreateRows()
        {
            return new PropertyRow[]
            {
                R(I.PayloadFormatIndicator, T.Byte, MessageContexts, C.None, 0, 1, "[MQTT-3.3.2.3.2] 0: unspecified bytes, 1: UTF-8"),
                R(I.MessageExpiryInterval, T.FourByteInteger, MessageContexts, C.None, 0, FourByteMaximum, "[MQTT-3.3.2.3.3] seconds"),
                R(I.ContentType, T.Utf8String, MessageContexts, C.None, 0, 0, "[MQTT-3.3.2.3.9] a MIME type, by convention"),
                R(I.ResponseTopic, T.Utf8String, MessageContexts, C.None, 0, 0, "[MQTT-3.3.2-13] a topic name, no wildcards"),
                R(I.CorrelationData, T.BinaryData, MessageContexts, C.None, 0, 0, "[MQTT-3.3.2.3.6] for the requester only"),
                R(I.SubscriptionIdentifier, T.VariableByteInteger, C.Publish | C.Subscribe, C.Publish, 1, VariableByteMaximum, "[MQTT-3.3.4-3] one per matching subscription in PUBLISH; 0 is a protocol error [MQTT-3.8.2.1.2]"),
                R(I.SessionExpiryInterval, T.FourByteInteger, C.Connect | C.ConnAck | C.Disconnect, C.None, 0, FourByteMaximum, "[MQTT-3.1.2.11.2] seconds; 0xFFFFFFFF never expires"),
                R(I.AssignedClientIdentifier, T.Utf8String, C.ConnAck, C.None, 0, 0, "[MQTT-3.2.2-16] the identifier the server chose for an empty one"),
                R(I.ServerKeepAlive, T.TwoByteInteger, C.ConnAck, C.None, 0, 65535, "[MQTT-3.2.2-21] the client must use it instead of its own"),
                R(I.AuthenticationMethod, T.Utf8String, C.Connect | C.ConnAck | C.Auth, C.None, 0, 0, "[MQTT-3.1.2.11.9] names the enhanced authentication method"),
                R(I.AuthenticationData, T.BinaryData, C.Connect | C.ConnAck | C.Auth, C.None, 0, 0, "[MQTT-3.1.2.11.10] the method's data"),
                R(I.RequestProblemInformation, T.Byte, C.Connect, C.None, 0, 1, "[MQTT-3.1.2.11.7] 0 or 1"),
                R(I.WillDelayInterval, T.FourByteInteger, C.Will, C.None, 0, FourByteMaximum, "[MQTT-3.1.3.2.2] seconds before the Will is published"),
                R(I.RequestResponseInformation, T.Byte, C.Connect, C.None, 0, 1, "[MQTT-3.1.2.11.6] 0 or 1"),
                R(I.ResponseInformation, T.Utf8String, C.ConnAck, C.None, 0, 0, "[MQTT-3.2.2.3.15] the basis of a response topic"),
                R(I.ServerReference, T.Utf8String, C.ConnAck | C.Disconnect, C.None, 0, 0, "[MQTT-4.11] another server to use"),
                R(I.ReasonString, T.Utf8String, C.ConnAck | AllAcks | C.SubAck | C.UnsubAck | C.Disconnect | C.Auth, C.None, 0, 0, "[MQTT-3.2.2.3.10] for diagnostics, not to be parsed"),
                R(I.ReceiveMaximum, T.TwoByteInteger, C.Connect | C.ConnAck, C.None, 1, 65535, "[MQTT-3.1.2.11.3] 0 is a protocol error"),
                R(I.TopicAliasMaximum, T.TwoByteInteger, C.Connect | C.ConnAck, C.None, 0, 65535, "[MQTT-3.1.2.11.5] 0: no aliases"),
                R(I.TopicAlias, T.TwoByteInteger, C.Publish, C.None, 1, 65535, "[MQTT-3.3.2-8] 0 is a protocol error"),
                R(I.MaximumQoS, T.Byte, C.ConnAck, C.None, 0, 1, "[MQTT-3.2.2.3.4] 0 or 1; absent means 2"),
                R(I.RetainAvailable, T.Byte, C.ConnAck, C.None, 0, 1, "[MQTT-3.2.2.3.5] 0 or 1"),
                R(I.UserProperty, T.Utf8StringPair, Everywhere, Everywhere, 0, 0, "[MQTT-3.1.2.11.8] may appear many times, order kept"),
                R(I.MaximumPacketSize, T.FourByteInteger, C.Connect | C.ConnAck, C.None, 1, FourByteMaximum, "[MQTT-3.1.2.11.4] 0 is a protocol error"),
                R(I.WildcardSubscriptionAvailable, T.Byte, C.ConnAck, C.None, 0, 1, "[MQTT-3.2.2.3.12] 0 or 1"),
                R(I.SubscriptionIdentifierAvailable, T.Byte, C.ConnAck, C.None, 0, 1, "[MQTT-3.2.2.3.13] 0 or 1"),
                R(I.SharedSubscriptionAvailable, T.Byte, C.ConnAck, C.None, 0, 1, "[MQTT-3.2.2.3.14] 0 or 1"),
            };
        }

        /// <summary>The row for identifier byte <paramref name="id"/> in <paramref name="rows"/>, or null for an identifier MQTT 5 does not define.</summary>
        public static PropertyRow Find(PropertyRow[] rows, int id)
        {
            for (int i = 0; i < rows.Length; i++)
            {
                if ((int)rows[i].Id == id)
                {
                    return rows[i];
                }
            }

            return null;
        }

        private static PropertyRow R(I id, T type, C allowedIn, C repeatableIn, long minimum, long maximum, string rule)
        {
            return new PropertyRow(id, type, allowedIn, repeatableIn, minimum, maximum, rule);
        }
    }
}
