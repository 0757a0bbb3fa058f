using System.Collections.Frozen;
using System.Net.Sockets;
using System.Security.Authentication;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Transport;

/// <summary>
/// Maps a failure of the link to the Connection trigger it fires. Socket error codes go through
/// <see cref="SocketErrorTable"/>, the one table shared with nano-port/; this class only finds the code.
/// </summary>
internal static class SocketErrorClassifier
{
    // Indexed once for Describe; the trigger always comes from SocketErrorTable.Classify.
    private static readonly FrozenDictionary<int, SocketErrorRow> RowsByCode =
        SocketErrorTable.CreateRows().ToFrozenDictionary(row => (int)row.Code);

    /// <summary>The Connection trigger for an exception raised while connecting, reading or writing.</summary>
    /// <param name="exception">What the transport or the decoder threw.</param>
    /// <returns>
    /// ProtocolViolation for malformed bytes; the table's trigger for any socket error, however deeply wrapped;
    /// ConfigurationError for a TLS handshake that failed for want of trust (certificate or host name);
    /// LinkLost for end of stream, a closed link, and anything unknown.
    /// </returns>
    public static ConnectionTrigger Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is MqttProtocolException)
        {
            return ConnectionTrigger.ProtocolViolation;
        }

        if (FindSocketException(exception) is { } socketException)
        {
            return SocketErrorTable.Classify((int)socketException.SocketErrorCode);
        }

        return exception switch
        {
            // Retrying cannot help until the certificate, CA file or host name is fixed.
            AuthenticationException => ConnectionTrigger.ConfigurationError,
            EndOfStreamException or IOException or ObjectDisposedException => ConnectionTrigger.LinkLost,
            _ => SocketErrorTable.Default,
        };
    }

    /// <summary>A one-line reason for people and logs, e.g. "ECONNRESET (ConnectionReset): connection reset by peer".</summary>
    /// <param name="exception">What the transport or the decoder threw.</param>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is MqttProtocolException)
        {
            return $"protocol violation: {exception.Message}";
        }

        if (FindSocketException(exception) is { } socketException)
        {
            int code = (int)socketException.SocketErrorCode;
            string name = RowsByCode.TryGetValue(code, out SocketErrorRow? row)
                ? $"{row.Errno} ({row.Code})"
                : $"{socketException.SocketErrorCode} ({code})";
            return $"{name}: {LowerFirst(socketException.Message)}";
        }

        return exception switch
        {
            AuthenticationException => $"TLS authentication failed: {exception.Message}",
            EndOfStreamException => "connection closed by the broker (end of stream)",
            ObjectDisposedException => "the link was closed",
            IOException => $"I/O error: {exception.Message}",
            _ => $"{exception.GetType().Name}: {exception.Message}",
        };
    }

    /// <summary>The socket exception behind <paramref name="exception"/>, however deeply wrapped, or null.</summary>
    internal static SocketException? FindSocketException(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException socketException)
            {
                return socketException;
            }
        }

        return null;
    }

    private static string LowerFirst(string text) =>
        text.Length == 0 ? text : string.Concat(char.ToLowerInvariant(text[0]).ToString(), text.AsSpan(1));
}
