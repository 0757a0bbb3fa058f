using StateMachineMqtt.Spec;

namespace StateMachineMqtt.Nano.Interpreter
{
    /// <summary>Binds the Connection table's guard names to the owner's code. Guard None is never asked: it always holds.</summary>
    public interface IConnectionGuards
    {
        /// <summary>True when <paramref name="guard"/> holds now.</summary>
        bool Holds(ConnectionGuard guard);
    }

    /// <summary>Binds the KeepAlive table's guard names to the owner's code. Guard None is never asked: it always holds.</summary>
    public interface IKeepAliveGuards
    {
        /// <summary>True when <paramref name="guard"/> holds now.</summary>
        bool Holds(KeepAliveGuard guard);
    }

    /// <summary>Binds the Publish table's guard names to the owner's code, for one message. Guard None is never asked.</summary>
    public interface IPublishGuards
    {
        /// <summary>True when <paramref name="guard"/> holds now.</summary>
        bool Holds(PublishGuard guard);
    }
}
