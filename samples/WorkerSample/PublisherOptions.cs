namespace StateMachineMqtt.Samples.Worker;

/// <summary>What <see cref="TemperaturePublisher"/> publishes, and how often (section "Publisher").</summary>
public sealed class PublisherOptions
{
    /// <summary>The topic readings go to.</summary>
    public string Topic { get; set; } = "samples/worker/temperature";

    /// <summary>Time between readings.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(2);
}
