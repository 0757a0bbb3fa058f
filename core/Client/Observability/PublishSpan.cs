using System.Diagnostics;
using System.Globalization;

namespace StateMachineMqtt;

/// <summary>
/// One publish's Producer span, from acceptance to completion, timed on the client's TimeProvider. The loop records each
/// send on it (the packet identifier, re-sends as events) and ends it once, with an error status when the publish failed.
/// Exists only while something listens (<see cref="MqttClientTracing.StartPublish"/>).
/// </summary>
internal sealed class PublishSpan(Activity activity, TimeProvider time)
{
    private bool _ended;

    public Activity Activity { get; } = activity;

    /// <summary>The PUBLISH was written with <paramref name="packetId"/> (0 for QoS 0); a re-send is an event on the span.</summary>
    public void Sent(int packetId, bool resend)
    {
        if (packetId != 0 && Activity.GetTagItem("messaging.message.id") is null)
        {
            Activity.SetTag("messaging.message.id", packetId.ToString(CultureInfo.InvariantCulture));
        }

        if (resend)
        {
            Activity.AddEvent(new ActivityEvent("mqtt.publish.resent", time.GetUtcNow()));
        }
    }

    /// <summary>The broker acknowledged it (or, QoS 0, it was written).</summary>
    public void Completed() => End(null, null);

    /// <summary>It failed: the span's status is Error, with the reason and the exception's type as error.type.</summary>
    public void Failed(Exception exception) => End(exception.GetType().FullName, exception.Message);

    /// <summary>The caller cancelled: withdrawn before it was sent, or the caller stopped waiting (the message is still held).</summary>
    public void Cancelled() => End("cancelled", "The caller cancelled the publish");

    private void End(string? errorType, string? description)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        if (errorType is not null)
        {
            Activity.SetStatus(ActivityStatusCode.Error, description);
            Activity.SetTag("error.type", errorType);
        }

        MqttClientTracing.Stop(Activity, time.GetUtcNow());
    }
}
