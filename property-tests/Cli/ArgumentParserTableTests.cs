using System.Text.RegularExpressions;
using StateMachineMqtt.Cli.Commands;
using Xunit;

namespace StateMachineMqtt.PropertyTests.Cli;

/// <summary>
/// --help against the parser's own table (<see cref="ArgumentParser.Flags"/>), not a hand copy: every flag the parser
/// takes is in the help, every flag the help names is taken, and every flag in the table is handled.
/// </summary>
public sealed partial class ArgumentParserTableTests
{
    /// <summary>A minimal valid command line per command, to which one flag is added.</summary>
    private static readonly Dictionary<string, string[]> Base = new(StringComparer.Ordinal)
    {
        ["pub"] = ["pub", "-t", "a", "-m", "x"],
        ["sub"] = ["sub", "-t", "a"],
        ["diagrams"] = ["diagrams"],
        ["demo"] = ["demo"],
        ["chaos"] = ["chaos"],
    };

    [GeneratedRegex(@"(?<![\w-])-{1,2}[A-Za-z][A-Za-z-]*")]
    private static partial Regex FlagInText();

    public static TheoryData<string> AllFlags() => [.. ArgumentParser.Flags.Keys];

    [Theory]
    [MemberData(nameof(AllFlags))]
    public void Every_flag_the_parser_takes_is_in_the_help(string flag) =>
        Assert.Contains(flag, FlagInText().Matches(Usage.Text).Select(m => m.Value));

    [Fact]
    public void Every_flag_the_help_names_is_one_the_parser_takes()
    {
        var named = FlagInText().Matches(Usage.Text).Select(m => m.Value).Where(f => f != "--help").ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(named, f => !ArgumentParser.Flags.ContainsKey(f));
    }

    [Fact]
    public void Every_flag_in_the_table_is_handled_by_its_commands_and_refused_by_the_others()
    {
        foreach ((string flag, string[] commands) in ArgumentParser.Flags)
        {
            foreach ((string command, string[] line) in Base)
            {
                // A placeholder value: it may well be refused, but as a value ("wants ..."), never as an unknown flag.
                string[] args = [.. line, flag, "1", "1", "1"];
                string? error = null;
                try
                {
                    ArgumentParser.Parse(args);
                }
                catch (UsageException e)
                {
                    error = e.Message;
                }

                if (commands.Contains(command))
                {
                    Assert.False(error is not null && (error.StartsWith($"Unknown option '{flag}'", StringComparison.Ordinal) || error.StartsWith($"{flag} is not an option of", StringComparison.Ordinal)),
                        $"{string.Join(' ', args)}: {error}");
                }
                else
                {
                    Assert.Equal($"{flag} is not an option of '{command}'.", error);
                }
            }
        }
    }

    [Fact]
    public void Help_lists_every_exit_code()
    {
        foreach (int code in new[] { ExitCodes.Success, ExitCodes.Failure, ExitCodes.Usage, ExitCodes.Timeout })
        {
            Assert.Matches($@"(?m)^\s+{code}\s+\w", Usage.Text);
        }
    }
}
