namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>The bounds and client options the model is built with.</summary>
/// <param name="MaxMessages">Most QoS 1 messages held at once (1..3).</param>
/// <param name="Window">MaxInflight: most messages awaiting PUBACK at once.</param>
/// <param name="MaxRepublishes">MaxRepublishes (1..3): the bounded counter behind RepublishesLeft / RepublishesExhausted.</param>
/// <param name="CleanSession">The client's CleanSession option (default true, as in MqttClientOptions); false lets the broker keep a session (session present = 1).</param>
public sealed record ModelOptions(int MaxMessages = 3, int Window = 2, int MaxRepublishes = 1, bool CleanSession = true)
{
    /// <summary>Throws when a bound does not fit the 64-bit state encoding.</summary>
    public void Validate()
    {
        if (MaxMessages is < 1 or > SystemState.MaxMessages)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMessages), MaxMessages, $"MaxMessages must be 1..{SystemState.MaxMessages}.");
        }

        if (Window < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, "Window must be at least 1.");
        }

        if (MaxRepublishes is < 1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRepublishes), MaxRepublishes, "MaxRepublishes must be 1..3 (2 bits of state).");
        }
    }
}

/// <summary>A broken invariant, or a hole in a table that the running client would crash on.</summary>
/// <param name="Invariant">"I1", "I2", "I3", "I4", "I8", "I6" or "NoRow" / "Ambiguous".</param>
/// <param name="Message">What went wrong.</param>
public sealed record Violation(string Invariant, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Invariant}: {Message}";
}
