namespace StateMachineMqtt.TestKit.Soak;

/// <summary>What became of the messages of a soak run.</summary>
/// <param name="Published">Messages the application handed to the client.</param>
/// <param name="Delivered">Distinct messages the subscribing application got.</param>
/// <param name="Duplicates">Extra copies it got (QoS 1 is at least once).</param>
/// <param name="Reordered">First arrivals behind a later message of the same topic.</param>
/// <param name="LostNeverAcknowledgedByBroker">Lost, and the broker never PUBACKed them: the publishing client's loss.</param>
/// <param name="LostAfterSubscriberAcknowledged">Lost although the subscriber client PUBACKed them: the subscribing client's loss.</param>
/// <param name="LostInBrokerCrash">Lost after the broker PUBACKed them and was then killed: the broker's loss, not a client's.</param>
/// <param name="LostUnexplained">Lost after a PUBACK from a broker that was not killed afterwards.</param>
/// <param name="UnacknowledgedToApplication">Publish calls that never reported success (hung or given up).</param>
/// <param name="FailedCalls">Publish calls that threw (an application must retry them or lose the message).</param>
/// <param name="LostSample">Sequence numbers of up to 20 lost messages, for the report.</param>
public sealed record DeliveryCounts(
    int Published,
    int Delivered,
    int Duplicates,
    int Reordered,
    int LostNeverAcknowledgedByBroker,
    int LostAfterSubscriberAcknowledged,
    int LostInBrokerCrash,
    int LostUnexplained,
    int UnacknowledgedToApplication,
    int FailedCalls,
    IReadOnlyList<int> LostSample)
{
    /// <summary>Lost by the clients: the number held against them.</summary>
    public int LostClientSide => LostNeverAcknowledgedByBroker + LostAfterSubscriberAcknowledged;

    /// <summary>Every message never delivered, whoever lost it.</summary>
    public int Lost => Published - Delivered;
}
