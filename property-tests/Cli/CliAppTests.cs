using StateMachineMqtt.Cli;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Cli;

public sealed class CliAppTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await CliApp.RunAsync(args, TextReader.Null, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Bad_flag_prints_message_and_usage_and_exits_2()
    {
        var (code, stdout, stderr) = await Run("pub", "-t", "a", "-m", "x", "-z");
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.StartsWith("smqtt: Unknown option '-z' for 'pub'.", stderr, StringComparison.Ordinal);
        Assert.Contains("Usage:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_prints_usage_and_exits_0()
    {
        var (code, stdout, _) = await Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("smqtt pub", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_tls_file_is_a_usage_error()
    {
        var (code, _, stderr) = await Run("pub", "-t", "a", "-m", "x", "--cafile", "/nonexistent/ca.pem");
        Assert.Equal(2, code);
        Assert.Contains("/nonexistent/ca.pem", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagrams_out_writes_the_files()
    {
        string dir = Path.Combine(Path.GetTempPath(), "smqtt-diagrams-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, stdout, _) = await Run("diagrams", "--out", dir);
            Assert.Equal(0, code);
            foreach (string name in new[] { "connection.mmd", "keepalive.mmd", "publish.mmd", "README.md" })
            {
                Assert.True(File.Exists(Path.Combine(dir, name)), name);
                Assert.Contains(name, stdout, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
