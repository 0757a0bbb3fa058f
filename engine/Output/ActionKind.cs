namespace StateMachineMqtt.Engine
{
    /// <summary>What the driver must do with its link.</summary>
    public enum ActionKind
    {
        /// <summary>Open a new link (abandoning any attempt under way), numbered <see cref="EngineAction.Link"/>.</summary>
        OpenLink,
        /// <summary>Encode <see cref="EngineAction.Packet"/> and write it on the current link.</summary>
        Send,
        /// <summary>Close the current link, without sending anything more.</summary>
        CloseLink,
        /// <summary>
        /// MQTT 5 enhanced authentication: ask the authenticator for its first data — for CONNECT, or for AUTH 0x19 when
        /// <see cref="EngineAction.ReasonCode"/> is 0x19 — and give the answer back with <see cref="SessionEngine.HandleAuthenticatorAnswer"/>,
        /// quoting <see cref="EngineAction.PacketId"/>.
        /// </summary>
        AuthenticateStart,
        /// <summary>MQTT 5: ask the authenticator to answer the broker's last AUTH challenge (its data is the driver's to keep); answer as for AuthenticateStart.</summary>
        AuthenticateContinue,
        /// <summary>MQTT 5: the broker accepted (CONNACK or AUTH 0x00): let the authenticator check its final data; answer as for AuthenticateStart.</summary>
        AuthenticateFinish,
    }
}
