namespace StateMachineMqtt.Fuzz;

/// <summary>A decoder returned normally but broke one of its promises (bytes taken, allocation): a finding, like a crash.</summary>
public sealed class FuzzFindingException : Exception
{
    /// <summary>Creates the exception saying which promise was broken.</summary>
    public FuzzFindingException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public FuzzFindingException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public FuzzFindingException() : base("A decoder broke one of its promises.") { }
}
