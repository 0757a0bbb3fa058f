using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;
using StateMachineMqtt.PropertyTests.Simulation.Network;

namespace StateMachineMqtt.PropertyTests.Simulation.Broker;

/// <summary>The broker's side of one link: a read loop that decodes packets and hands them to the broker, and a writer.</summary>
internal sealed class BrokerConnection
{
    private readonly SimulatedBroker _broker;

    internal BrokerConnection(SimulatedBroker broker, SimulatedLink link)
    {
        _broker = broker;
        Link = link;
    }

    internal SimulatedLink Link { get; }

    /// <summary>Set by the first CONNECT.</summary>
    internal string? ClientId { get; set; }

    internal bool ConnectReceived { get; set; }

    /// <summary>The version this link speaks: the first CONNECT's protocol level says which.</summary>
    internal MqttProtocolVersion Version { get; set; } = MqttProtocolVersion.V311;

    /// <summary>True once an accepted CONNACK was written.</summary>
    internal bool Accepted { get; set; }

    /// <summary>True once the link is closed or taken over: later events from it are ignored.</summary>
    internal bool Detached { get; set; }

    /// <summary>Will message of the CONNECT, published if the link dies without DISCONNECT.</summary>
    internal MqttWill? Will { get; set; }

    /// <summary>MQTT 5 enhanced authentication: the CONNECT waiting for its challenges to be answered, or null.</summary>
    internal ConnectPacket? PendingConnect { get; set; }

    /// <summary>MQTT 5 enhanced authentication: the challenge round under way (before CONNACK, or in a re-authentication).</summary>
    internal int AuthRound { get; set; }

    /// <summary>MQTT 5: a re-authentication is under way.</summary>
    internal bool Reauthenticating { get; set; }

    /// <summary>MQTT 5: the Topic Alias Maximum the client's CONNECT gave (0: it takes none).</summary>
    internal int TopicAliasMaximum { get; set; }

    /// <summary>The client's Receive Maximum (MQTT 5): how many QoS 1 and 2 messages may await its answer at once.</summary>
    internal int ReceiveMaximum { get; set; } = ushort.MaxValue;

    /// <summary>MQTT 5: the Topic Aliases the client set on this link, by alias.</summary>
    internal Dictionary<ushort, string> ClientTopicAliases { get; } = [];

    /// <summary>MQTT 5: the Topic Aliases this broker set on this link, by topic.</summary>
    internal Dictionary<string, ushort> TopicAliases { get; } = [];

    internal async Task RunAsync()
    {
        PipeReader input = Link.BrokerEnd.Input;
        string reason = "end of stream";
        try
        {
            while (!Detached)
            {
                ReadResult result = await input.ReadAsync();
                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    if (!ConnectReceived && ConnectVersion.Sniff(buffer) is MqttProtocolVersion level)
                    {
                        Version = level;
                    }

                    while (!Detached && MqttPacketReader.TryRead(ref buffer, _broker.MaximumPacketSize, Version, out MqttPacket? packet))
                    {
                        _broker.OnPacket(this, packet);
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (SocketException ex)
        {
            reason = ex.SocketErrorCode.ToString();
        }
        catch (MqttProtocolException ex)
        {
            reason = "malformed packet";
            _broker.OnMalformed(this, ex);
        }
        finally
        {
            await Link.BrokerEnd.DisposeAsync();
            _broker.OnLinkEnded(this, reason);
        }
    }

    /// <summary>Writes one packet; a dead link swallows it (the read loop notices the death).</summary>
    internal void Write(MqttPacket packet)
    {
        if (Detached)
        {
            return;
        }

        try
        {
            PipeWriter output = Link.BrokerEnd.Output;
            MqttPacketWriter.Write(packet, output, Version);

            // Backpressure is off on simulated pipes, so the flush completes synchronously.
            ValueTask<FlushResult> flush = output.FlushAsync();
            if (flush.IsCompleted)
            {
                _ = flush.Result;
            }
            else
            {
                flush.AsTask().GetAwaiter().GetResult();
            }
        }
        catch (SocketException)
        {
            // Reset link: the read loop sees the same reset and ends the connection.
        }
        catch (InvalidOperationException)
        {
            // Output already completed: the link is closing.
        }
    }

    /// <summary>Closes the link with FIN, as a broker does after a refused CONNACK or a protocol violation.</summary>
    internal void Close()
    {
        Detached = true;
        Link.Close();
    }
}
