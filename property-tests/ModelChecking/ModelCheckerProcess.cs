using System.Diagnostics;
using System.Text.Json;
using StateMachineMqtt.PropertyTests.Docs;
using StateMachineMqtt.Verification.ModelChecking;
using Xunit.Abstractions;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// Runs one model check in a child process, from verification/'s own output folder. The coverage collector instruments
/// only the assemblies in the test's folder, so there the engine runs at full speed; in-process, instrumented, the long
/// exhaustive checks cost about twice as much. The child runs the same checker on the same build of the engine.
/// </summary>
internal static class ModelCheckerProcess
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary>The checker program this build of the tests runs.</summary>
    public static string ProgramPath { get; } = Path.Combine(
        SpecReadmeTests.RepositoryRoot(), "verification", "bin", Configuration, "net10.0", "StateMachineMqtt.Verification.dll");

    /// <summary>The depth to explore a bounded configuration to: the environment variable <paramref name="variable"/>, or <paramref name="ci"/>.</summary>
    public static int Depth(int ci, string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out int depth) && depth > 0 ? depth : ci;

    /// <summary>
    /// Runs the check, writes its summary to the test's output, and asserts what every check must show: no violation, more
    /// than a trivial number of states, and at least one fair cycle (else the liveness check checked nothing).
    /// </summary>
    public static CheckReport Check(ITestOutputHelper output, ModelOptions options, int depth)
    {
        CheckReport report = Run(options, depth);
        output.WriteLine($"{options}: {report.ToString().Split(Environment.NewLine)[0]}");
        Assert.True(report.Violation is null, report.ToString());
        Assert.True(report.StatesExplored > 1_000, report.ToString());
        Assert.True(report.FairComponents > 0, "the liveness check found no fair cycle at all, so it checked nothing: " + report);
        return report;
    }

    /// <summary>Explores the model <paramref name="options"/> describes to <paramref name="depth"/> events and returns the child's report.</summary>
    public static CheckReport Run(ModelOptions options, int depth)
    {
        Assert.True(File.Exists(ProgramPath), $"{ProgramPath} is missing: build verification/StateMachineMqtt.Verification.csproj (property-tests references it).");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(ProgramPath);
        start.ArgumentList.Add("check");
        start.ArgumentList.Add(JsonSerializer.Serialize(options, CheckProtocol.Json));
        start.ArgumentList.Add(depth.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var child = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        Task<string> error = child.StandardError.ReadToEndAsync();
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        Assert.True(child.ExitCode == 0, $"the checker exited {child.ExitCode}: {error.Result}");
        return JsonSerializer.Deserialize<CheckReport>(output, CheckProtocol.Json)
            ?? throw new InvalidOperationException("the checker wrote no report: " + error.Result);
    }
}
