using System.Text.Json;

namespace StateMachineMqtt.Verification.ModelChecking;

/// <summary>How a model-checking request and its report cross the process boundary (Program.cs): JSON, with these settings on both sides.</summary>
public static class CheckProtocol
{
    /// <summary>The serializer settings both the program and its callers use.</summary>
    public static JsonSerializerOptions Json { get; } = new() { IncludeFields = false };
}
