using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace StateMachineMqtt.PropertyTests.Transport;

/// <summary>Small helpers to push text through an IMqttLink's pipes and a server's stream.</summary>
internal static class LinkIo
{
    /// <summary>Bound for anything that should happen at once on loopback; only hit when a test fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static async Task WriteAsync(PipeWriter output, string text)
    {
        await output.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask().WaitAsync(Patience);
    }

    public static async Task<string> ReadAsync(PipeReader input, int length)
    {
        while (true)
        {
            ReadResult result = await input.ReadAsync().AsTask().WaitAsync(Patience);
            if (result.Buffer.Length >= length || result.IsCompleted)
            {
                ReadOnlySequence<byte> slice = result.Buffer.Slice(0, Math.Min(length, result.Buffer.Length));
                string text = Encoding.ASCII.GetString(slice);
                input.AdvanceTo(slice.End);
                return text;
            }

            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    public static async Task<string> ReadAsync(Stream stream, int length)
    {
        byte[] buffer = new byte[length];
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(Patience);
        return Encoding.ASCII.GetString(buffer);
    }

    public static async Task WriteAsync(Stream stream, string text)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask().WaitAsync(Patience);
        await stream.FlushAsync();
    }
}
