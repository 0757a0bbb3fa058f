using System.Net.Sockets;
using FsCheck;
using FsCheck.Xunit;
using StateMachineMqtt.Protocol;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Simulation.Tests;

/// <summary>
/// Random fault schedules over the whole fixture set, driven by a correct model client: no false violations, no broker
/// errors, no accepted message lost once the faults stop, and the same seed replays to the same log.
/// </summary>
public sealed class FaultScheduleProperties
{
    [Property(MaxTest = 60)]
    public void Correct_client_under_random_faults_shows_no_violation_and_loses_nothing(int seed, bool inlinePipes)
    {
        PipeMode mode = inlinePipes ? PipeMode.Inline : PipeMode.Queued;
        string log = Run(seed, mode, out SimulationWorld world, out List<ModelClient> clients);
        string context = $"seed {seed}, {mode} pipes{Environment.NewLine}{world.Log.Tail(60)}";

        Assert.True(world.Broker.Violations.Count == 0, $"{string.Join(Environment.NewLine, world.Broker.Violations)}{Environment.NewLine}{context}");
        Assert.True(world.Broker.InternalErrors.Count == 0, $"{string.Join(Environment.NewLine, world.Broker.InternalErrors)}{Environment.NewLine}{context}");
        foreach (ModelClient client in clients)
        {
            var accepted = world.Broker.AcceptedOn($"data/{client.ClientId}").Select(m => BitConverter.ToInt32(m.Payload.Span)).ToHashSet();
            Assert.True(client.OutstandingCount == 0, $"{client.ClientId} still holds {client.OutstandingCount} after healing; {context}");
            Assert.True(client.Published.All(accepted.Contains), $"{client.ClientId} lost {string.Join(",", client.Published.Where(p => !accepted.Contains(p)))}; {context}");
        }

        Assert.Equal(log, Run(seed, mode, out _, out _));
    }

    private static string Run(int seed, PipeMode mode, out SimulationWorld world, out List<ModelClient> clients)
    {
        world = new SimulationWorld(seed, mode);
        Random random = world.Random;
        world.Network.LinkLatency = TimeSpan.FromMilliseconds(random.Next(0, 3) * 20);
        clients = [new ModelClient(world, "a"), new ModelClient(world, "b")];
        int counter = 0;
        for (int step = 0; step < 60; step++)
        {
            ModelClient client = clients[random.Next(clients.Count)];
            switch (random.Next(14))
            {
                case 0 or 1 or 2:
                    client.Connect();
                    break;
                case 3 or 4 or 5 or 6:
                    client.Publish(counter++);
                    break;
                case 7:
                    client.Link?.Reset();
                    break;
                case 8:
                    client.Link?.MakeHalfOpen();
                    break;
                case 9:
                    client.Link?.Close();
                    break;
                case 10:
                    world.Broker.Restart(keepSessions: random.Next(2) == 0);
                    break;
                case 11:
                    world.Broker.Faults.DropOutgoing(MqttPacketType.PubAck, random.Next(1, 3));
                    break;
                case 12:
                    world.Broker.Faults.DropIncoming(MqttPacketType.Publish, random.Next(1, 3));
                    break;
                case 13:
                    world.Network.FailNextWriteOn(client, random.Next(2) == 0 ? SocketError.ConnectionAborted : SocketError.TimedOut);
                    break;
            }

            world.RunFor(TimeSpan.FromMilliseconds(random.Next(0, 500)));
            foreach (ModelClient c in clients)
            {
                c.Process();
            }
        }

        // Heal: faults off, every client reconnects over a fresh link (as after a keepalive timeout; the model client
        // has no timers) and drains what it holds with DUP re-sends.
        world.Broker.Faults.ClearAll();
        world.Broker.Start();
        for (int round = 0; round < 2; round++)
        {
            foreach (ModelClient c in clients)
            {
                c.Link?.Reset();
                world.RunUntilIdle();
                c.Connect();
                world.RunFor(TimeSpan.FromSeconds(1));
                c.Process();
                world.RunFor(TimeSpan.FromSeconds(1));
                c.Process();
            }
        }

        return world.Log.ToString();
    }
}

/// <summary>Small helpers the property uses to address a client's current link.</summary>
internal static class FaultScheduleExtensions
{
    public static void FailNextWriteOn(this Network.SimulatedNetwork network, ModelClient client, SocketError error) => client.Link?.FailNextClientWrite(error);
}
