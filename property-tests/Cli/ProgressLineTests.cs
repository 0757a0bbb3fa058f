using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using StateMachineMqtt.Cli;
using StateMachineMqtt.Cli.Commands;
using StateMachineMqtt.Cli.Commands.Output;
using StateMachineMqtt.PropertyTests.Fixtures.Brokers;
using StateMachineMqtt.PropertyTests.Fixtures.Requirements;
using Xunit;
using StateMachineMqtt.TestKit.Brokers;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary>The live progress line of long runs: drawn in place on a terminal, at most every 200 ms, and never elsewhere.</summary>
public sealed class ProgressLineTests
{
    [Fact]
    public void Redraws_at_most_every_interval_pads_over_a_longer_line_and_clears()
    {
        var clock = new FakeTimeProvider();
        using var stderr = new StringWriter();
        var line = new ProgressLine(stderr, new CliEnvironment(clock, StderrIsTerminal: true));
        line.Update(() => "long line 1");
        line.Update(() => "too soon"); // within the interval: not drawn
        clock.Advance(ProgressLine.Interval);
        line.Update(() => "short");
        line.Clear();
        Assert.Equal("\rlong line 1\rshort      \r     \r", stderr.ToString()); // the padding is blank already: clearing "short" is enough
    }

    [Fact]
    public void Draws_nothing_when_stderr_is_not_a_terminal()
    {
        using var stderr = new StringWriter();
        var line = new ProgressLine(stderr, new CliEnvironment(new FakeTimeProvider(), StderrIsTerminal: false));
        line.Update(() => "x");
        line.Clear();
        Assert.Empty(stderr.ToString());
    }

    /// <summary>
    /// The real check (Console.IsErrorRedirected) in a real process: under a pseudo-terminal from util-linux's
    /// <c>script</c>, pub -l draws the line; with stderr piped, it does not.
    /// </summary>
    [RequiresToolsFact(Tool.PseudoTerminal)]
    public async Task A_real_pub_l_draws_it_under_a_pseudo_terminal_and_not_into_a_pipe()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // a guard against a hang, not the measure
        await using var broker = await InProcessMqttnetBroker.StartAsync(limit.Token);
        string input = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(input, "1\n2\n3\n", limit.Token);
            string smqtt = StateMachineMqtt.PropertyTests.Cli.ClientProcesses.SmqttDll;
            string port = broker.Port.ToString(CultureInfo.InvariantCulture);
            string command = $"dotnet '{smqtt}' pub -h 127.0.0.1 -p {port} -t pty/l -q 1 -l < '{input}'";

            (int code, string output) = await RunAsync("script", ["-q", "-e", "-c", command, "/dev/null"], limit.Token);
            Assert.True(code == 0, output);
            Assert.Contains("\rsmqtt: 1 published", output, StringComparison.Ordinal);

            (code, output) = await RunAsync("sh", ["-c", command], limit.Token);
            Assert.True(code == 0, output);
            Assert.DoesNotContain("\r", output, StringComparison.Ordinal);
            Assert.DoesNotContain("published", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(); // a failed run must not leave a process behind
            }
        }
    }
}
