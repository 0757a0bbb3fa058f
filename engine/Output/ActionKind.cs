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
    }
}
