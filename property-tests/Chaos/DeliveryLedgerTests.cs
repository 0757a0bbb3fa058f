using StateMachineMqtt.TestKit.Soak;

namespace StateMachineMqtt.PropertyTests.Chaos;

/// <summary>The ledger tells who lost a message from what the proxies saw, and counts duplicates and reordering.</summary>
public sealed class DeliveryLedgerTests
{
    [Fact]
    public void A_message_the_broker_acknowledged_and_then_lost_in_a_kill_is_the_brokers_loss()
    {
        var ledger = new DeliveryLedger(topics: 1);
        int m = ledger.Publish();
        ledger.BrokerAcknowledged(m, brokerLife: 0);
        ledger.ApplicationAcknowledged(m);
        ledger.BrokerKilled();
        var counts = ledger.Count();
        Assert.Equal((1, 0, 0), (counts.LostInBrokerCrash, counts.LostClientSide, counts.LostUnexplained));
        Assert.True(ledger.Settled());
    }

    [Fact]
    public void A_message_the_broker_never_acknowledged_is_the_publishing_clients_loss()
    {
        var ledger = new DeliveryLedger(topics: 1);
        ledger.Publish();
        ledger.BrokerKilled();
        var counts = ledger.Count();
        Assert.Equal((1, 1, 0), (counts.LostNeverAcknowledgedByBroker, counts.LostClientSide, counts.LostInBrokerCrash));
        Assert.Equal(1, counts.UnacknowledgedToApplication);
        Assert.False(ledger.Settled());
    }

    [Fact]
    public void A_message_the_subscriber_client_acknowledged_but_never_handed_on_is_the_subscribing_clients_loss_even_after_a_kill()
    {
        var ledger = new DeliveryLedger(topics: 1);
        int m = ledger.Publish();
        ledger.BrokerAcknowledged(m, brokerLife: 0);
        ledger.SubscriberAcknowledged(m);
        ledger.BrokerKilled();
        var counts = ledger.Count();
        Assert.Equal((1, 1, 0), (counts.LostAfterSubscriberAcknowledged, counts.LostClientSide, counts.LostInBrokerCrash));
    }

    [Fact]
    public void An_acknowledgement_from_a_broker_life_that_was_not_killed_leaves_the_loss_unexplained()
    {
        var ledger = new DeliveryLedger(topics: 1);
        ledger.BrokerKilled();
        int m = ledger.Publish();
        ledger.BrokerAcknowledged(m, brokerLife: 1);
        Assert.Equal(1, ledger.Count().LostUnexplained);
    }

    [Fact]
    public void Duplicates_are_counted_and_order_is_judged_per_topic_on_first_arrivals()
    {
        var ledger = new DeliveryLedger(topics: 2);
        int[] m = [.. Enumerable.Range(0, 6).Select(_ => ledger.Publish())];
        // Topic 0 holds 0, 2, 4; topic 1 holds 1, 3, 5. Interleaving topics is not reordering; 2 after 4 is.
        foreach (int s in new[] { 1, 0, 4, 3, 3, 0, 2, 5 })
        {
            ledger.Received(m[s]);
        }

        var counts = ledger.Count();
        Assert.Equal((6, 2, 1), (counts.Delivered, counts.Duplicates, counts.Reordered));
        Assert.True(ledger.AllReceived());
    }

    [Fact]
    public void Payloads_map_back_to_their_sequence_and_foreign_ones_do_not()
    {
        var payload = new SoakPayload("run7");
        Assert.True(payload.TryParse(payload.Create(1234), out int sequence));
        Assert.Equal(1234, sequence);
        Assert.False(payload.TryParse(new SoakPayload("run8").Create(1), out _));
        Assert.False(payload.TryParse("run7:12x"u8, out _));
    }
}
