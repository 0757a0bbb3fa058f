using System.Globalization;

namespace StateMachineMqtt.Cli.Commands;

/// <summary>
/// Tells stderr about outages and reconnects, like a status line, but stays quiet for the ordinary first connect and
/// the final disconnect, so a healthy <c>smqtt pub -m</c> prints nothing (as mosquitto_pub does).
/// </summary>
internal sealed class LinkReporter
{
    private readonly TextWriter _stderr;
    private bool _connectedOnce;
    private volatile bool _closing;

    /// <summary>Starts reporting the changes of <paramref name="client"/>.</summary>
    public LinkReporter(MqttClient client, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(client);
        _stderr = stderr;
        client.ConnectionChanged += OnChanged;
    }

    /// <summary>Call before DisconnectAsync: the link going down is then expected.</summary>
    public void Closing() => _closing = true;

    private void OnChanged(object? sender, MqttConnectionEventArgs e)
    {
        switch (e.Change)
        {
            case MqttConnectionChange.Connected:
                if (_connectedOnce)
                {
                    _stderr.WriteLine($"smqtt: reconnected ({e.Reason})");
                }

                _connectedOnce = true;
                break;
            case MqttConnectionChange.AttemptFailed when e.RetryDelay is { } delay:
                // The last attempt of a bounded first connect has no retry: the command's own error says it all.
                _stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"smqtt: connect attempt {e.Attempt} failed: {e.Reason}; retrying in {delay.TotalSeconds:0.0} s"));
                break;
            case MqttConnectionChange.LinkLost when !_closing:
                _stderr.WriteLine($"smqtt: link down: {e.Reason}; reconnecting");
                break;
            default:
                break;
        }
    }
}
