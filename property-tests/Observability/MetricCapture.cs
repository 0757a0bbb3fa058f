using System.Diagnostics.Metrics;

namespace StateMachineMqtt.PropertyTests.Observability;

/// <summary>
/// A MeterListener that keeps every measurement of the instruments <c>select</c> picks: the instrument's name, the value and
/// its tags. Sums and values are read per client identifier (the "mqtt.client.id" tag), so other clients never count.
/// </summary>
internal sealed class MetricCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<Instrument> _published = [];
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];

    public MetricCapture(Func<Instrument, bool> select)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (select(instrument))
            {
                lock (_published)
                {
                    _published.Add(instrument);
                }

                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The instruments the listener was told of and picked, in order.</summary>
    public IReadOnlyList<Instrument> Published
    {
        get
        {
            lock (_published)
            {
                return [.. _published];
            }
        }
    }

    /// <summary>Every value <paramref name="instrument"/> recorded for <paramref name="clientId"/>, in order.</summary>
    public IReadOnlyList<double> Values(string instrument, string clientId)
    {
        lock (_measurements)
        {
            return [.. _measurements.Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault("mqtt.client.id"), clientId)).Select(m => m.Value)];
        }
    }

    /// <summary>The sum of <see cref="Values"/>: a counter's total, or an up-down counter's level.</summary>
    public double Sum(string instrument, string clientId) => Values(instrument, clientId).Sum();

    /// <summary>The tag sets of every measurement so far.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> AllTags()
    {
        lock (_measurements)
        {
            return [.. _measurements.Select(m => (IReadOnlyDictionary<string, object?>)m.Tags)];
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        lock (_measurements)
        {
            _measurements.Add((instrument.Name, value, copy));
        }
    }
}
