using System.Buffers;
using System.Reflection;
using StateMachineMqtt.Benchmarks.Client;
using StateMachineMqtt.Benchmarks.Codec;
using StateMachineMqtt.Benchmarks.Machines;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Benchmarks;

/// <summary>
/// Runs each benchmark of bench/ once, in-process, and checks it did what its name says, so a change to the client cannot
/// leave a benchmark broken (or measuring nothing) until someone next runs BenchmarkDotNet.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(30);

    [Fact]
    public void Every_sample_packet_encodes_and_decodes_back_to_the_same_bytes()
    {
        foreach (string name in PacketCodecBenchmarks.PacketNames)
        {
            var bench = new PacketCodecBenchmarks { Packet = name };
            bench.Setup();
            Assert.Equal(bench.Encoded.Length, bench.Encode());
            var decoded = (MqttPacket)bench.Decode();
            var again = new ArrayBufferWriter<byte>();
            MqttPacketWriter.Write(decoded, again, name.EndsWith(" v5", StringComparison.Ordinal) ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311);
            Assert.True(again.WrittenSpan.SequenceEqual(bench.Encoded.Span), $"{name}: decoding and re-encoding changed its bytes.");
        }
    }

    [Fact]
    public async Task Publish_benchmarks_reach_the_broker_and_QoS_1_completes_on_its_PUBACK()
    {
        var bench = new PublishBenchmarks { PayloadSize = 16 };
        bench.Setup();
        try
        {
            await bench.PublishQos0().WaitAsync(SafetyNet);
            await bench.PublishQos1ToPubAck().WaitAsync(SafetyNet);

            // The QoS 0 PUBLISH went out before the QoS 1 one on the same link, whose PUBACK has come back.
            Assert.Equal(2, bench.Received);
        }
        finally
        {
            bench.Cleanup();
        }
    }

    [Theory]
    [InlineData(MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    public async Task Receive_benchmark_hands_the_published_message_to_the_application(MqttQualityOfService qos)
    {
        var bench = new ReceiveBenchmarks { Qos = qos, PayloadSize = 1024 };
        bench.Setup();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                MqttMessage message = await bench.ReceiveOne().WaitAsync(SafetyNet);
                Assert.Equal("bench/topic", message.Topic);
                Assert.Equal(1024, message.Payload.Length);
                Assert.Equal(qos, message.QualityOfService);
            }
        }
        finally
        {
            await bench.Cleanup();
        }
    }

    [Fact]
    public void Each_machine_fires_the_row_its_benchmark_names()
    {
        var bench = new MachineFireBenchmarks();
        bench.Setup();
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(ConnectionEffect.None, bench.Connection());
            Assert.Equal(KeepAliveEffect.ArmTimer, bench.KeepAlive());
            Assert.Equal(AuthenticationEffect.None, bench.Authentication());
            Assert.Equal(PublishEffect.None, bench.Publish());
            Assert.Equal(PublishEffect.CompletePublish, bench.PublishQos1Flow());
            Assert.Equal(ReceiptEffect.SendPubComp, bench.Receipt());
            Assert.Equal(KeepAliveState.Idle, bench.StatelessOnlyKeepAlive());
            Assert.Equal(KeepAliveEffect.ArmTimer, bench.TableMachineKeepAlive());
        }
    }

    [Fact]
    public void Every_benchmark_method_is_run_by_a_smoke_test_here()
    {
        string[] covered =
        [
            "PacketCodecBenchmarks.Encode", "PacketCodecBenchmarks.Decode", "PublishBenchmarks.PublishQos0",
            "PublishBenchmarks.PublishQos1ToPubAck", "ReceiveBenchmarks.ReceiveOne", "MachineFireBenchmarks.Connection",
            "MachineFireBenchmarks.KeepAlive", "MachineFireBenchmarks.Authentication", "MachineFireBenchmarks.Publish",
            "MachineFireBenchmarks.PublishQos1Flow", "MachineFireBenchmarks.Receipt", "MachineFireBenchmarks.StatelessOnlyKeepAlive",
            "MachineFireBenchmarks.TableMachineKeepAlive",
        ];
        string[] benchmarks = typeof(PublishBenchmarks).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods().Where(m => m.GetCustomAttributes().Any(a => a.GetType().Name == "BenchmarkAttribute"))
                .Select(m => t.Name + "." + m.Name))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(covered.Order(StringComparer.Ordinal), benchmarks);
    }
}
