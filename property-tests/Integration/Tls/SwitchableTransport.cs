using StateMachineMqtt.Transport;

namespace StateMachineMqtt.PropertyTests.Integration.Tls;

/// <summary>
/// A transport whose target a test changes between connects (a good listener, then one with an expired certificate), and
/// that can drop the open link, as a broker restart would: so "later connects" are real reconnects.
/// </summary>
internal sealed class SwitchableTransport(IMqttTransport first) : IMqttTransport
{
    private IMqttLink? _open;

    /// <summary>Where the next link goes.</summary>
    public IMqttTransport Current { get; set; } = first;

    /// <summary>How many links were asked for.</summary>
    public int Opens { get; private set; }

    public async ValueTask<IMqttLink> ConnectAsync(CancellationToken cancellationToken)
    {
        Opens++;
        IMqttLink link = await Current.ConnectAsync(cancellationToken).ConfigureAwait(false);
        _open = link;
        return link;
    }

    /// <summary>Closes the open link under the client: it sees the end of the stream and reconnects.</summary>
    public async Task DropAsync()
    {
        if (_open is { } link)
        {
            await link.DisposeAsync().ConfigureAwait(false);
        }
    }
}
