namespace StateMachineMqtt.Cli.Demo;

/// <summary>How the publisher fared in one fault phase.</summary>
/// <param name="Fault">The fault's name.</param>
/// <param name="Detected">Time from injection until the publisher saw its link down; null if it never did.</param>
/// <param name="Recovered">Time from injection until the publisher was connected again and new messages flowed; null if not within the limit.</param>
/// <param name="DownReason">
/// Why the publisher's link first went down after injection, as the client reported it (e.g. "keepalive expired: …" for a
/// half-open link, a socket error for a reset); null if it never went down. Tells which mechanism caught the fault.
/// </param>
internal sealed record FaultOutcome(string Fault, TimeSpan? Detected, TimeSpan? Recovered, string? DownReason = null);
