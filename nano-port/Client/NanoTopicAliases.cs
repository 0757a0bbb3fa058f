using StateMachineMqtt.Nano.Codec;

namespace StateMachineMqtt.Nano.Client
{
    /// <summary>
    /// MQTT 5 Topic Aliases on one link [MQTT-3.3.2.3.4], both ways; they live and die with the link. Outbound: the first
    /// PUBLISH to a topic sets an alias while the broker's Topic Alias Maximum (from CONNACK) and the client's own bound
    /// leave one free, later ones carry the alias and an empty topic — purely an encoding, what is sent means the same
    /// message. Inbound: a PUBLISH with an alias and a topic sets it, one with an alias and an empty topic stands for that
    /// topic; an alias of 0, above the maximum this client gave in CONNECT, or unknown, is a protocol error. The tables are
    /// allocated when first needed, at their bound, and reused by every later link.
    /// </summary>
    internal sealed class NanoTopicAliases
    {
        private readonly int _outboundBound; // NanoMqttOptions.OutboundTopicAliases
        private readonly int _inboundMaximum; // NanoMqttOptions.TopicAliasMaximum, as sent in CONNECT
        private string[] _outbound; // alias n is _outbound[n - 1]
        private int _outboundCount;
        private int _outboundLimit; // this link's: the smaller of the bound and the broker's maximum
        private string[] _inbound;

        public NanoTopicAliases(int outboundBound, int inboundMaximum)
        {
            _outboundBound = outboundBound;
            _inboundMaximum = inboundMaximum;
        }

        /// <summary>A new link: every alias of the last one is forgotten, and none go out until its CONNACK says how many.</summary>
        public void Reset()
        {
            if (_outbound != null)
            {
                System.Array.Clear(_outbound, 0, _outbound.Length);
            }

            if (_inbound != null)
            {
                System.Array.Clear(_inbound, 0, _inbound.Length);
            }

            _outboundCount = 0;
            _outboundLimit = 0;
        }

        /// <summary>The broker's Topic Alias Maximum from this link's CONNACK (-1 absent: 0, no aliases) [MQTT-3.3.2-9].</summary>
        public void OnConnAck(int brokerMaximum)
        {
            _outboundLimit = brokerMaximum < _outboundBound ? (brokerMaximum < 0 ? 0 : brokerMaximum) : _outboundBound;
            if (_outboundLimit > 0 && _outbound == null)
            {
                _outbound = new string[_outboundBound];
            }
        }

        /// <summary>The alias <paramref name="topic"/> has on this link, else the one it would take (<paramref name="isNew"/>), else 0.</summary>
        public int Outbound(string topic, out bool isNew)
        {
            isNew = false;
            for (int i = 0; i < _outboundCount; i++)
            {
                if (_outbound[i] == topic)
                {
                    return i + 1;
                }
            }

            if (_outboundCount >= _outboundLimit)
            {
                return 0;
            }

            isNew = true;
            return _outboundCount + 1;
        }

        /// <summary>The PUBLISH that sets <paramref name="alias"/> (from <see cref="Outbound"/>) for <paramref name="topic"/> is in the send buffer.</summary>
        public void Set(string topic, int alias)
        {
            _outbound[alias - 1] = topic;
            _outboundCount = alias;
        }

        /// <summary>The topic a received PUBLISH stands for: its own, or the one its alias names on this link.</summary>
        public string Resolve(string topic, int alias)
        {
            if (alias == 0)
            {
                return topic;
            }

            if (alias > _inboundMaximum)
            {
                throw new NanoProtocolException(_inboundMaximum == 0
                    ? "The broker sent a PUBLISH with Topic Alias " + alias.ToString() + ", but this client takes none (Topic Alias Maximum 0) [MQTT-3.3.2-11]: a protocol error."
                    : "The broker sent a PUBLISH with Topic Alias " + alias.ToString() + ", above this client's Topic Alias Maximum of " + _inboundMaximum.ToString() + " [MQTT-3.3.2-11]: a protocol error.");
            }

            if (_inbound == null)
            {
                _inbound = new string[_inboundMaximum];
            }

            if (topic.Length > 0)
            {
                _inbound[alias - 1] = topic;
                return topic;
            }

            string known = _inbound[alias - 1];
            if (known == null)
            {
                throw new NanoProtocolException("The broker sent a PUBLISH with an empty topic and Topic Alias " + alias.ToString() + ", which no earlier PUBLISH on this link set (section 3.3.2.3.4): a protocol error.");
            }

            return known;
        }
    }
}
