namespace StateMachineMqtt.PropertyTests.Simulation.Broker;

/// <summary>
/// The client's side of <see cref="BrokerAuthentication"/>'s method, for tests: answers each challenge right (or not), and
/// can be told to fail, to refuse the broker's final data, or to wait at a step until the test lets it go.
/// </summary>
internal sealed class ChallengeAuthenticator : IMqttEnhancedAuthenticator
{
    public string Method { get; init; } = BrokerAuthentication.DefaultMethod;

    /// <summary>The steps asked of it, in order: "start", "restart", "continue XX", "complete XX".</summary>
    public List<string> Calls { get; } = [];

    /// <summary>Throw at this step ("start", "restart", "continue", "complete"), or null.</summary>
    public string? FailAt { get; set; }

    /// <summary>Answer challenges wrongly.</summary>
    public bool AnswerWrongly { get; set; }

    /// <summary>Wait at this step until <see cref="Release"/> (or the step's token is cancelled), or null.</summary>
    public string? WaitAt { get; set; }

    // Completed synchronously by Release, on the test's thread: the waiting step's continuation then goes straight to the
    // simulation's scheduler it was captured on. (RunContinuationsAsynchronously or WaitAsync would hop through the real
    // thread pool, and the simulation could run on in virtual time before the step resumed.)
    private TaskCompletionSource? _gate;

    /// <summary>True while a step waits at <see cref="WaitAt"/>.</summary>
    public bool Waiting { get; private set; }

    /// <summary>Lets the waiting step go on, and stops waiting at later ones.</summary>
    public void Release()
    {
        WaitAt = null;
        Waiting = false;
        TaskCompletionSource? gate = _gate;
        _gate = null;
        gate?.TrySetResult();
    }

    public async ValueTask<ReadOnlyMemory<byte>?> StartAsync(bool reauthentication, CancellationToken cancellationToken)
    {
        string step = reauthentication ? "restart" : "start";
        await Step(step, cancellationToken);
        return new byte[] { reauthentication ? (byte)0x19 : (byte)0x01 };
    }

    public async ValueTask<ReadOnlyMemory<byte>?> ContinueAsync(ReadOnlyMemory<byte>? challenge, CancellationToken cancellationToken)
    {
        await Step("continue", cancellationToken, challenge);
        byte[] answer = BrokerAuthentication.Answer(challenge is { } c ? c.Span : []);
        return AnswerWrongly ? [.. answer.Select(b => (byte)~b)] : answer;
    }

    public async ValueTask CompleteAsync(ReadOnlyMemory<byte>? serverData, CancellationToken cancellationToken) =>
        await Step("complete", cancellationToken, serverData);

    private async Task Step(string step, CancellationToken cancellationToken, ReadOnlyMemory<byte>? data = null)
    {
        Calls.Add(data is { } d ? $"{step} {Convert.ToHexString(d.Span)}" : step);
        if (WaitAt == step)
        {
            var gate = new TaskCompletionSource();
            _gate = gate;
            Waiting = true;
            using (cancellationToken.Register(() => gate.TrySetCanceled(cancellationToken)))
            {
                try
                {
                    await gate.Task;
                }
                finally
                {
                    if (_gate == gate)
                    {
                        _gate = null;
                        Waiting = false;
                    }
                }
            }
        }

        if (FailAt == step)
        {
            throw new InvalidOperationException($"the test's authenticator fails at {step}");
        }
    }
}
