namespace StateMachineMqtt.Cli.Commands;

/// <summary>The command line was wrong; the message says what and how to fix it. Program prints it with the usage and exits 2.</summary>
internal sealed class UsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UsageException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public UsageException() { }

    /// <summary>Creates the exception.</summary>
    public UsageException(string message, Exception innerException) : base(message, innerException) { }
}
