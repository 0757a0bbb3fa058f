using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MQTTnet.Server;
using StateMachineMqtt.Cli;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary>
/// #13: SIGTERM ends <c>smqtt sub</c> cleanly — it flushes what it printed, disconnects (the broker sees DISCONNECT, not a
/// dropped link) and exits 0 — as Ctrl+C does. A real process, since a signal is the operating system's.
/// </summary>
public sealed class SignalTests
{
    private const int SigTerm = 15;
    private const int SigInt = 2;
    private const int SigKill = 9;

    /// <summary>Completes once a client subscribes, and with how the client left once it disconnects.</summary>
    private static (Task Subscribed, Task<MqttClientDisconnectType> Disconnected) Watch(InProcessMqttnetBroker broker)
    {
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var disconnected = new TaskCompletionSource<MqttClientDisconnectType>(TaskCreationOptions.RunContinuationsAsynchronously);
        broker.Server.ClientSubscribedTopicAsync += _ => { subscribed.TrySetResult(); return Task.CompletedTask; };
        broker.Server.ClientDisconnectedAsync += e => { disconnected.TrySetResult(e.DisconnectType); return Task.CompletedTask; };
        return (subscribed.Task, disconnected.Task);
    }

    [Fact]
    public async Task Sigterm_ends_sub_with_a_clean_disconnect_and_exit_0()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // a guard against a hang, not the measure
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        (Task subscribed, Task<MqttClientDisconnectType> disconnected) = Watch(broker);

        string smqtt = StateMachineMqtt.PropertyTests.Cli.ClientProcesses.SmqttDll;
        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { smqtt, "sub", "-h", "127.0.0.1", "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-t", "signal/t" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            Task<string> stderr = process.StandardError.ReadToEndAsync(limit.Token);
            await subscribed.WaitAsync(limit.Token);

            Assert.Equal(0, Kill(process.Id, SigTerm));
            await process.WaitForExitAsync(limit.Token);
            Assert.True(process.ExitCode == 0, await stderr);
            Assert.Equal(MqttClientDisconnectType.Clean, await disconnected.WaitAsync(limit.Token));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(); // a failed run must not leave an smqtt behind
            }
        }
    }

    [Fact]
    public async Task Sigint_ends_sub_started_in_the_background_by_a_script_which_ignores_SIGINT_for_it()
    {
        // A non-interactive shell starts background jobs with SIGINT ignored; mosquitto_sub still stops on it.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // a guard against a hang, not the measure
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        (Task subscribed, Task<MqttClientDisconnectType> disconnected) = Watch(broker);

        string smqtt = StateMachineMqtt.PropertyTests.Cli.ClientProcesses.SmqttDll;
        string port = broker.Port.ToString(CultureInfo.InvariantCulture);
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", "dotnet \"$0\" sub -h 127.0.0.1 -p \"$1\" -t signal/t & echo $!; wait $!; echo \"exit=$?\"", smqtt, port },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        int pid = 0;
        try
        {
            Task<string> stderr = shell.StandardError.ReadToEndAsync(limit.Token);
            pid = int.Parse((await shell.StandardOutput.ReadLineAsync(limit.Token))!, CultureInfo.InvariantCulture);
            await subscribed.WaitAsync(limit.Token);

            Assert.Equal(0, Kill(pid, SigInt));
            string? exit = await shell.StandardOutput.ReadLineAsync(limit.Token);
            await shell.WaitForExitAsync(limit.Token);
            Assert.True(exit == "exit=0", $"{exit}; {await stderr}");
            Assert.Equal(MqttClientDisconnectType.Clean, await disconnected.WaitAsync(limit.Token));
        }
        finally
        {
            if (pid != 0 && !shell.HasExited)
            {
                _ = Kill(pid, SigKill); // a failed run must not leave an smqtt behind
                shell.Kill();
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
