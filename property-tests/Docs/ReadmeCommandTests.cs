using Xunit;

namespace StateMachineMqtt.PropertyTests.Docs;

/// <summary>README.md's test command is the one .ci/run runs, so what a person types is what CI checks.</summary>
public sealed class ReadmeCommandTests
{
    [Fact]
    public void Ci_runs_the_test_command_the_readme_gives()
    {
        string root = SpecReadmeTests.RepositoryRoot();
        string[] ciCommands = [.. File.ReadAllLines(Path.Combine(root, ".ci", "run"))
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("dotnet test ", StringComparison.Ordinal))];
        string[] readmeLines = [.. File.ReadAllLines(Path.Combine(root, "README.md")).Select(line => line.Trim())];

        string command = Assert.Single(ciCommands);
        Assert.True(readmeLines.Contains(command),
            $"README.md must give the test command .ci/run runs, on a line of its own: {command}");
        Assert.Contains("dotnet run --project cli -- demo", readmeLines);
    }
}
