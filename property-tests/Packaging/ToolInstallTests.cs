namespace StateMachineMqtt.PropertyTests.Packaging;

/// <summary>The packed smqtt installs as a .NET tool from the packed folder alone, and runs.</summary>
[Collection(PackedSolutionCollection.Name)]
public sealed class ToolInstallTests(PackedSolution packed)
{
    [Fact]
    public void Smqtt_installs_from_the_packed_folder_and_prints_its_usage()
    {
        Assert.True(packed.Pack.ExitCode == 0, packed.Pack.Transcript);
        string folder = Path.Combine(packed.WorkFolder, "tool-install");
        Directory.CreateDirectory(folder);
        // Only the packed folder as a source: the install needs no network. The tool has no dependencies to fetch.
        string config = Path.Combine(folder, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{packed.PackageFolder}" />
              </packageSources>
            </configuration>
            """);
        // A package cache of its own: the user's cache may hold an older smqtt of the same version, which would be installed instead.
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(folder, "nuget-cache") };
        string toolPath = Path.Combine(folder, "tools");

        CommandResult install = DotnetCommand.Run("dotnet",
            ["tool", "install", "smqtt", "--version", packed.Version, "--tool-path", toolPath, "--configfile", config], environment);
        Assert.True(install.ExitCode == 0, install.Transcript);

        CommandResult help = DotnetCommand.Run(Path.Combine(toolPath, OperatingSystem.IsWindows() ? "smqtt.exe" : "smqtt"), ["--help"]);
        Assert.True(help.ExitCode == 0, help.Transcript);
        Assert.Contains("Usage:", help.Output, StringComparison.Ordinal);
        Assert.Contains("smqtt pub", help.Output, StringComparison.Ordinal);
        Assert.Contains("smqtt sub", help.Output, StringComparison.Ordinal);
    }
}
