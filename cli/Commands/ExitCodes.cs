namespace StateMachineMqtt.Cli.Commands;

/// <summary>
/// The exit codes of smqtt, kept in one place so --help and cli/README.md can list them. 27 is mosquitto_sub's code for
/// -W (MOSQ_ERR_TIMEOUT), so scripts written for mosquitto_sub keep working.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>It could not: connection refused or unreachable, a message not acknowledged or refused, a file unreadable.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong; the message says what, followed by the usage.</summary>
    public const int Usage = 2;

    /// <summary>sub -W: the time ran out (as mosquitto_sub).</summary>
    public const int Timeout = 27;
}
