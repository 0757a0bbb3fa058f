namespace StateMachineMqtt.Cli.Demo;

/// <summary>How the publisher fared in one fault phase.</summary>
/// <param name="Fault">The fault's name.</param>
/// <param name="Detected">Time from injection until the publisher saw its link down; null if it never did.</param>
/// <param name="Recovered">Time from injection until the publisher was connected again and new messages flowed; null if not within the limit.</param>
internal sealed record FaultOutcome(string Fault, TimeSpan? Detected, TimeSpan? Recovered);
