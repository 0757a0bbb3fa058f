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

    /// <summary>An argument error's message without .NET's " (Parameter 'x')" suffix, which means nothing on a command line.</summary>
    public static string Plain(ArgumentException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string suffix = $" (Parameter '{e.ParamName}')";
        return e.ParamName is not null && e.Message.EndsWith(suffix, StringComparison.Ordinal) ? e.Message[..^suffix.Length] : e.Message;
    }
}
