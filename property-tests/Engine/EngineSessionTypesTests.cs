using StateMachineMqtt.Engine;
using StateMachineMqtt.Machines;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>
/// The engine's session records: what the factories of <see cref="SubscriptionRequest"/> set, how a request drops the
/// filters a later one superseded (keeping each kept filter's QoS beside it), and <see cref="OutboundMessage"/>'s guards.
/// </summary>
public sealed class EngineSessionTypesTests
{
    [Fact]
    public void The_subscription_request_factories_set_what_they_name()
    {
        string[] filters = { "a/#", "b/+" };
        int[] qos = { 1, 0 };
        object caller = new();

        SubscriptionRequest subscribe = SubscriptionRequest.Subscribe(filters, qos, caller);
        Assert.True(subscribe.IsSubscribe);
        Assert.False(subscribe.IsRestore);
        Assert.Same(filters, subscribe.Filters);
        Assert.Same(qos, subscribe.Qos);
        Assert.Same(caller, subscribe.Caller);
        Assert.Equal(0, subscribe.PacketId);

        SubscriptionRequest unsubscribe = SubscriptionRequest.Unsubscribe(filters, caller);
        Assert.False(unsubscribe.IsSubscribe);
        Assert.False(unsubscribe.IsRestore);
        Assert.Same(filters, unsubscribe.Filters);
        Assert.Null(unsubscribe.Qos);
        Assert.Same(caller, unsubscribe.Caller);

        SubscriptionRequest restore = SubscriptionRequest.Restore(filters, qos, null, 0);
        Assert.True(restore.IsSubscribe);
        Assert.True(restore.IsRestore);
        Assert.Same(filters, restore.Filters);
        Assert.Same(qos, restore.Qos);
        Assert.Null(restore.Caller);
    }

    [Fact]
    public void A_subscribe_drops_the_superseded_filters_keeping_the_order_and_each_kept_filters_qos()
    {
        SubscriptionRequest request = SubscriptionRequest.Subscribe(new[] { "a", "b", "c", "d", "e" }, new[] { 1, 2, 0, 1, 2 }, null!);
        SubscriptionRequest later = SubscriptionRequest.Unsubscribe(new[] { "x", "b", "d" }, null!);

        Assert.True(later.Names("b"));
        Assert.False(later.Names("a"));
        Assert.Equal(3, request.DropFiltersOf(later));
        Assert.Equal(new[] { "a", "c", "e" }, request.Filters);
        Assert.Equal(new[] { 1, 0, 2 }, request.Qos);
    }

    [Fact]
    public void An_unsubscribe_drops_the_superseded_filters_and_still_has_no_qos()
    {
        SubscriptionRequest request = SubscriptionRequest.Unsubscribe(new[] { "a", "b", "c" }, null!);
        SubscriptionRequest later = SubscriptionRequest.Subscribe(new[] { "b" }, new[] { 1 }, null!);

        Assert.Equal(2, request.DropFiltersOf(later));
        Assert.Equal(new[] { "a", "c" }, request.Filters);
        Assert.Null(request.Qos);
    }

    [Fact]
    public void Dropping_none_or_all_of_the_filters_leaves_the_request_as_it_was()
    {
        string[] filters = { "a", "b" };
        int[] qos = { 2, 1 };
        SubscriptionRequest request = SubscriptionRequest.Subscribe(filters, qos, null!);

        Assert.Equal(2, request.DropFiltersOf(SubscriptionRequest.Unsubscribe(new[] { "c" }, null!)));
        Assert.Same(filters, request.Filters);
        Assert.Same(qos, request.Qos);

        Assert.Equal(0, request.DropFiltersOf(SubscriptionRequest.Unsubscribe(new[] { "b", "a" }, null!)));
        Assert.Same(filters, request.Filters); // nothing is left to send: the engine retires the request as it is
        Assert.Same(qos, request.Qos);
    }

    [Fact]
    public void An_outbound_message_holds_what_it_was_given()
    {
        byte[] payload = { 1, 2, 3 };
        object caller = new();
        var message = new OutboundMessage("t/1", payload, 1, true, caller);
        Assert.Equal("t/1", message.Topic);
        Assert.Same(payload, message.Payload);
        Assert.Equal(1, message.Qos);
        Assert.True(message.Retain);
        Assert.Same(caller, message.Caller);
        Assert.Equal(0, message.PacketId);
        Assert.Equal(0, message.Sends);
        Assert.False(message.CallerDetached);
        Assert.False(message.Held);
    }

    [Fact]
    public void An_outbound_messages_guards_count_its_republishes_on_the_link_against_the_maximum()
    {
        var options = new EngineOptions { MaxRepublishes = 2 };
        var message = new OutboundMessage("t", Array.Empty<byte>(), 1, false, null!)
        {
            Owner = new SessionEngine(options, new StatelessMachines(), new FixedRandom()),
        };

        Assert.True(message.Holds(PublishGuard.None)); // the table's unguarded rows: always true
        foreach ((int republishes, bool left) in new[] { (0, true), (1, true), (2, false), (3, false) })
        {
            message.RepublishesOnLink = republishes;
            Assert.Equal(left, message.Holds(PublishGuard.V311ResendsLeft));
            Assert.Equal(!left, message.Holds(PublishGuard.RetriesExhausted));
            Assert.True(message.Holds(PublishGuard.None));
        }
    }

    private sealed class FixedRandom : IRandomSource
    {
        public int Next(int exclusiveMaximum) => 0;
    }
}
