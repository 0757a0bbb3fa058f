using Microsoft.Extensions.Logging;

namespace StateMachineMqtt.PropertyTests.Fixtures.Logging;

/// <summary>One captured entry: its level, event id, formatted message, and the values its template named ("{OriginalFormat}" included).</summary>
public sealed record CapturedLogEvent(LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Values);
