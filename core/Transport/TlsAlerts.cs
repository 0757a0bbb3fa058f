using System.Security.Authentication;

namespace StateMachineMqtt.Transport;

/// <summary>
/// Reads what the TLS library said about a failed handshake or read: mechanism only, finding the words (an alert name,
/// "protocol version") in the exception chain; what a failure means is spec/'s <see cref="Spec.TlsFailureRules"/>.
/// </summary>
internal static class TlsAlerts
{
    /// <summary>True when a read failed because the server sent a TLS alert refusing the client (TLS 1.3's late verdict on its certificate).</summary>
    public static bool IsRefusal(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException)
            {
                return true;
            }
        }

        return IsRefusalAlert(exception);
    }

    /// <summary>
    /// True when the server ended the handshake with an alert that refuses the client: certificate required (TLS 1.3), or
    /// handshake failure, bad certificate, unknown CA (TLS 1.2, when it wants a certificate it did not get or trust).
    /// </summary>
    public static bool IsRefusalAlert(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (Mentions(e, "alert certificate required") || Mentions(e, "alert unknown ca") || Mentions(e, "alert bad certificate") || Mentions(e, "alert handshake failure"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the chain says the two sides share no TLS version.</summary>
    public static bool IsVersionMismatch(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (Mentions(e, "protocol version") || Mentions(e, "unsupported protocol") || Mentions(e, "wrong version number") || Mentions(e, "no protocols available"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The innermost message of the chain: the TLS library's own words (e.g. "tlsv13 alert certificate required").</summary>
    public static string Describe(Exception exception)
    {
        Exception innermost = exception;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        // "Authentication failed, see inner exception." says nothing the innermost message does not.
        return ReferenceEquals(innermost, exception) ? exception.Message
            : exception.Message.Contains("see inner exception", StringComparison.Ordinal) ? innermost.Message
            : $"{exception.Message.TrimEnd('.')}: {innermost.Message}";
    }

    private static bool Mentions(Exception e, string words) => e.Message.Contains(words, StringComparison.OrdinalIgnoreCase);
}
