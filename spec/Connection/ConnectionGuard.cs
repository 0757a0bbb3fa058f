namespace StateMachineMqtt.Spec
{
    /// <summary>Named conditions on Connection rows; core/ binds each name to code.</summary>
    public enum ConnectionGuard
    {
        /// <summary>Always true.</summary>
        None,
        /// <summary>No CONNACK has ever accepted this client since ConnectAsync: errors of configuration fail fast.</summary>
        NeverConnected,
        /// <summary>The client has been connected before: every failure is treated as an outage and retried.</summary>
        HasConnectedBefore,
    }
}
