namespace StateMachineMqtt.TestKit.Soak;

/// <summary>
/// What happened to every message of a soak run, seen from both ends and from the two proxies in between: published by the
/// application, PUBACKed by the broker (at the publisher's proxy, with the broker's life it happened in), PUBACKed by the
/// subscriber client (at its proxy), and handed to the subscribing application (how often, in which order per topic).
/// That is enough to tell a message the broker lost in a crash from one a client lost. Thread-safe.
/// </summary>
public sealed class DeliveryLedger
{
    private readonly Lock _gate = new();
    private readonly List<Entry> _entries = [];
    private readonly Dictionary<int, int> _highestPerTopic = [];
    private readonly int _topics;
    private int _brokerLife;
    private int _duplicates;
    private int _reordered;
    private int _failedCalls;

    /// <summary>Creates a ledger for messages spread round-robin over <paramref name="topics"/> topics.</summary>
    public DeliveryLedger(int topics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topics, 1);
        _topics = topics;
    }

    /// <summary>How many times the broker has been killed so far (its current life is this number).</summary>
    public int BrokerKills
    {
        get
        {
            lock (_gate)
            {
                return _brokerLife;
            }
        }
    }

    /// <summary>The topic index of message <paramref name="sequence"/>.</summary>
    public int TopicOf(int sequence) => sequence % _topics;

    /// <summary>Takes the next sequence number for a message about to be published.</summary>
    public int Publish()
    {
        lock (_gate)
        {
            _entries.Add(new Entry());
            return _entries.Count - 1;
        }
    }

    /// <summary>The publishing application's call completed: the client says the broker acknowledged it.</summary>
    public void ApplicationAcknowledged(int sequence) => Update(sequence, e => e.ApplicationAcknowledged = true);

    /// <summary>A publish call failed (the application may retry it); returns how many have so far.</summary>
    public int CallFailed()
    {
        lock (_gate)
        {
            return ++_failedCalls;
        }
    }

    /// <summary>
    /// The broker sent PUBACK for the message (seen at the publisher's proxy) during its life <paramref name="brokerLife"/>
    /// (the value of <see cref="BrokerKills"/> when the connection carrying it was opened).
    /// </summary>
    public void BrokerAcknowledged(int sequence, int brokerLife)
    {
        lock (_gate)
        {
            if (Valid(sequence) && _entries[sequence].BrokerAckLife is null)
            {
                _entries[sequence].BrokerAckLife = brokerLife;
            }
        }
    }

    /// <summary>The subscriber client sent PUBACK for the message (seen at the subscriber's proxy).</summary>
    public void SubscriberAcknowledged(int sequence) => Update(sequence, e => e.SubscriberAcknowledged = true);

    /// <summary>The broker was killed: what it acknowledged before now and did not deliver may be gone.</summary>
    public void BrokerKilled()
    {
        lock (_gate)
        {
            _brokerLife++;
        }
    }

    /// <summary>The subscribing application got message <paramref name="sequence"/>.</summary>
    public void Received(int sequence)
    {
        lock (_gate)
        {
            if (!Valid(sequence))
            {
                return;
            }

            var entry = _entries[sequence];
            if (++entry.Received > 1)
            {
                _duplicates++;
                return;
            }

            int topic = TopicOf(sequence);
            int highest = _highestPerTopic.GetValueOrDefault(topic, -1);
            if (sequence < highest)
            {
                _reordered++; // a first arrival behind a later message of the same topic
            }
            else
            {
                _highestPerTopic[topic] = sequence;
            }
        }
    }

    /// <summary>True when every published message was received, or was PUBACKed by a broker life that has since been killed.</summary>
    public bool Settled()
    {
        lock (_gate)
        {
            return _entries.All(e => e.Received > 0 || (e.BrokerAckLife is { } life && life < _brokerLife && !e.SubscriberAcknowledged));
        }
    }

    /// <summary>True when the subscribing application got every published message.</summary>
    public bool AllReceived()
    {
        lock (_gate)
        {
            return _entries.All(e => e.Received > 0);
        }
    }

    /// <summary>True when every published message has been acknowledged to the publishing application.</summary>
    public bool AllAcknowledged()
    {
        lock (_gate)
        {
            return _entries.All(e => e.ApplicationAcknowledged);
        }
    }

    /// <summary>Counts every message by what became of it.</summary>
    public DeliveryCounts Count()
    {
        lock (_gate)
        {
            int received = 0, notAcknowledgedByBroker = 0, lostBySubscriber = 0, lostInCrash = 0, unexplained = 0, unacknowledgedToApp = 0;
            var lostSample = new List<int>();
            for (int sequence = 0; sequence < _entries.Count; sequence++)
            {
                var e = _entries[sequence];
                unacknowledgedToApp += e.ApplicationAcknowledged ? 0 : 1;
                if (e.Received > 0)
                {
                    received++;
                    continue;
                }

                if (e.BrokerAckLife is not { } life)
                {
                    notAcknowledgedByBroker++;
                }
                else if (e.SubscriberAcknowledged)
                {
                    lostBySubscriber++;
                }
                else if (life < _brokerLife)
                {
                    lostInCrash++;
                }
                else
                {
                    unexplained++;
                }

                if (lostSample.Count < 20)
                {
                    lostSample.Add(sequence);
                }
            }

            return new DeliveryCounts(_entries.Count, received, _duplicates, _reordered, notAcknowledgedByBroker, lostBySubscriber, lostInCrash, unexplained, unacknowledgedToApp, _failedCalls, lostSample);
        }
    }

    private bool Valid(int sequence) => sequence >= 0 && sequence < _entries.Count;

    private void Update(int sequence, Action<Entry> change)
    {
        lock (_gate)
        {
            if (Valid(sequence))
            {
                change(_entries[sequence]);
            }
        }
    }

    private sealed class Entry
    {
        public bool ApplicationAcknowledged { get; set; }

        public int? BrokerAckLife { get; set; }

        public bool SubscriberAcknowledged { get; set; }

        public int Received { get; set; }
    }
}
