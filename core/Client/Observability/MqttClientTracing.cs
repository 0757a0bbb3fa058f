using System.Diagnostics;
using StateMachineMqtt.Protocol.V5;

namespace StateMachineMqtt;

/// <summary>
/// Traces, after OpenTelemetry's messaging conventions (messaging.system = "mqtt"): a Producer span "publish {topic}" from
/// the moment PublishAsync accepts a message to its completion (QoS 0 written, QoS 1 PUBACK, QoS 2 PUBCOMP, or failure),
/// and a Consumer span "receive {topic}" as the application takes a received message. Over MQTT 5 the W3C trace context
/// travels in the PUBLISH's user properties (traceparent, tracestate), so the receiving side's span joins the publisher's
/// trace. Without a listener on the source nothing is created or allocated: <see cref="ActivitySource.HasListeners"/> is
/// the first thing each path asks.
/// </summary>
internal static class MqttClientTracing
{
    /// <summary>The W3C Trace Context names, as the MQTT binding of Trace Context uses them for user properties.</summary>
    public const string TraceParent = "traceparent";

    public const string TraceState = "tracestate";

    public static readonly ActivitySource Source = new(MqttClientTelemetry.ActivitySourceName);

    /// <summary>
    /// Starts the publish span, or returns null when nobody listens or samples it. It outlives the call, so it does not
    /// stay the caller's <see cref="Activity.Current"/>.
    /// </summary>
    public static PublishSpan? StartPublish(string topic, int qos, bool retain, int bodySize, string clientId, MqttClientOptions options, TimeProvider time)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity? caller = Activity.Current;
        Activity? activity = Source.StartActivity(ActivityKind.Producer, default, null, null, time.GetUtcNow(), "publish " + topic);
        if (activity is null)
        {
            return null;
        }

        Activity.Current = caller;
        if (activity.IsAllDataRequested)
        {
            SetMessagingTags(activity, "publish", "send", topic, clientId, bodySize, qos, retain);
            activity.SetTag("server.address", options.Server);
            activity.SetTag("server.port", options.EffectivePort);
        }

        return new PublishSpan(activity, time);
    }

    /// <summary>
    /// MQTT 5: adds the trace context of <paramref name="span"/> (or else of <see cref="Activity.Current"/>) to an outgoing
    /// PUBLISH's properties as traceparent and tracestate, unless the application set a traceparent itself; returns the
    /// properties to send (new ones when there were none). Unchanged when there is no context to carry or it is not W3C.
    /// </summary>
    public static MqttProperties? Inject(MqttProperties? wire, PublishSpan? span)
    {
        Activity? context = span?.Activity ?? Activity.Current;
        if (context is null || context.IdFormat != ActivityIdFormat.W3C || context.Id is not { } traceParent)
        {
            return wire;
        }

        if (wire is not null && Find(wire.UserProperties, TraceParent) is not null)
        {
            return wire; // the application's own context wins
        }

        wire ??= new MqttProperties();
        wire.UserProperties.Add(new MqttUserProperty(TraceParent, traceParent));
        if (context.TraceStateString is { Length: > 0 } traceState)
        {
            wire.UserProperties.Add(new MqttUserProperty(TraceState, traceState));
        }

        return wire;
    }

    /// <summary>
    /// The application takes <paramref name="message"/>: a Consumer span "receive {topic}", the child of (and linked to)
    /// the publisher's context when the message carries a traceparent, else of the reader's current activity.
    /// </summary>
    public static void Received(MqttMessage message, string clientId, TimeProvider time)
    {
        if (!Source.HasListeners())
        {
            return;
        }

        ActivityContext creation = default;
        IReadOnlyList<MqttUserProperty>? user = message.Properties?.UserProperties;
        if (user is not null && Find(user, TraceParent) is { } traceParent)
        {
            _ = ActivityContext.TryParse(traceParent, Find(user, TraceState), isRemote: true, out creation);
        }

        Activity? reader = Activity.Current;
        ActivityLink[]? links = creation == default ? null : [new ActivityLink(creation)];
        DateTimeOffset now = time.GetUtcNow();
        Activity? activity = Source.StartActivity(ActivityKind.Consumer, creation, null, links, now, "receive " + message.Topic);
        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested)
        {
            SetMessagingTags(activity, "receive", "receive", message.Topic, clientId, message.Payload.Length, (int)message.QualityOfService, message.Retain);
            activity.SetTag("messaging.mqtt.dup", message.Dup);
        }

        Stop(activity, now);
        Activity.Current = reader; // a span with a remote parent has no parent object to fall back to
    }

    /// <summary>The messaging attributes both kinds of span carry.</summary>
    private static void SetMessagingTags(Activity activity, string operation, string operationType, string topic, string clientId, int bodySize, int qos, bool retain)
    {
        activity.SetTag("messaging.system", "mqtt");
        activity.SetTag("messaging.operation.name", operation);
        activity.SetTag("messaging.operation.type", operationType);
        activity.SetTag("messaging.destination.name", topic);
        activity.SetTag("messaging.client.id", clientId);
        activity.SetTag("messaging.message.body.size", bodySize);
        activity.SetTag("messaging.mqtt.qos", qos);
        activity.SetTag("messaging.mqtt.retain", retain);
    }

    /// <summary>
    /// Ends <paramref name="activity"/> at <paramref name="now"/> on the client's clock. Stop would take the system clock
    /// for a span whose duration is still zero, so an instantaneous span ends one tick after its start.
    /// </summary>
    public static void Stop(Activity activity, DateTimeOffset now)
    {
        DateTime end = now.UtcDateTime;
        activity.SetEndTime(end > activity.StartTimeUtc ? end : activity.StartTimeUtc.AddTicks(1));
        activity.Stop();
    }

    private static string? Find(IReadOnlyList<MqttUserProperty> properties, string name)
    {
        for (int i = 0; i < properties.Count; i++)
        {
            if (string.Equals(properties[i].Name, name, StringComparison.Ordinal))
            {
                return properties[i].Value;
            }
        }

        return null;
    }
}
