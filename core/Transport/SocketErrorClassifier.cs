using System.Net.Sockets;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Transport;

/// <summary>TEMPORARY minimal classifier; replaced by the transport branch.</summary>
public static class SocketErrorClassifier
{
    /// <summary>The Connection trigger an exception fires.</summary>
    public static ConnectionTrigger Classify(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException s)
            {
                return SocketErrorTable.Classify((int)s.SocketErrorCode);
            }

            if (e is MqttProtocolException)
            {
                return ConnectionTrigger.ProtocolViolation;
            }
        }

        return ConnectionTrigger.LinkLost;
    }

    /// <summary>A human reason.</summary>
    public static string Describe(Exception exception) => exception.Message;
}
