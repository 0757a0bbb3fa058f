using StateMachineMqtt.Protocol;
using StateMachineMqtt.PropertyTests.Simulation;
using StateMachineMqtt.PropertyTests.Simulation.Network;

namespace StateMachineMqtt.PropertyTests.FaultSchedules;

/// <summary>
/// The steps of a fault schedule that act on the network, the broker or time — the same for every client under test
/// (core's and the nano port's) — and the healing that ends a schedule.
/// </summary>
internal static class EnvironmentSteps
{
    /// <summary>Applies <paramref name="step"/> if it is an environment step; false for the client's own steps.</summary>
    public static bool TryApply(SimulationWorld world, FaultStep step)
    {
        ArgumentNullException.ThrowIfNull(world);
        switch (step)
        {
            case FaultStep.ResetLink: world.Network.LastLink?.Reset(); break;
            case FaultStep.CloseLink: world.Network.LastLink?.Close(); break;
            case FaultStep.HalfOpenLink: world.Network.LastLink?.MakeHalfOpen(); break;
            case FaultStep.FailNextWrite f: world.Network.LastLink?.FailNextClientWrite(f.Error); break;
            case FaultStep.NetworkDown n:
                world.Network.NetworkDownError = n.Error;
                world.Network.ConnectFault = ConnectFault.NetworkDown;
                break;
            case FaultStep.ConnectsBlackholed: world.Network.ConnectFault = ConnectFault.Blackholed; break;
            case FaultStep.NetworkUp: world.Network.ConnectFault = ConnectFault.None; break;
            case FaultStep.ConnectsInProgress c: world.Network.InProgressRemaining = c.Count; break;
            // PacketKind and the codec's MqttPacketType are both numbered as on the wire.
            case FaultStep.BrokerDrops d: world.Broker.Faults.DropOutgoing((MqttPacketType)d.Type, d.Count); break;
            case FaultStep.BrokerDuplicates d: world.Broker.Faults.DuplicateOutgoing((MqttPacketType)d.Type); break;
            case FaultStep.BrokerDelays d: world.Broker.Faults.DelayOutgoing((MqttPacketType)d.Type, TimeSpan.FromMilliseconds(d.Milliseconds)); break;
            case FaultStep.BrokerIgnores i: world.Broker.Faults.DropIncoming((MqttPacketType)i.Type, i.Count); break;
            case FaultStep.LostWithLink l: world.Broker.Faults.LoseIncomingWithLink((MqttPacketType)l.Type); break;
            case FaultStep.BrokerIgnoresConnects i: world.Broker.Faults.IgnoreConnects(i.Count); break;
            case FaultStep.BrokerRefuses r: world.Broker.Faults.RefuseConnects(r.Code, r.Count); break;
            case FaultStep.BrokerRestart r: world.Broker.Restart(r.KeepSessions); break;
            case FaultStep.BrokerStop: world.Broker.Stop(); break;
            case FaultStep.BrokerStart: world.Broker.Start(); break;
            case FaultStep.Wait w: world.RunFor(TimeSpan.FromMilliseconds(w.Milliseconds)); break;
            default: return false;
        }

        return true;
    }

    /// <summary>Ends every fault: the network is up, the broker runs and behaves. Half-open links are left to keepalive.</summary>
    public static void Heal(SimulationWorld world)
    {
        ArgumentNullException.ThrowIfNull(world);
        world.Network.ConnectFault = ConnectFault.None;
        world.Network.InProgressRemaining = 0;
        world.Broker.Faults.ClearAll();
        if (!world.Broker.IsRunning)
        {
            world.Broker.Start();
        }
    }
}
