namespace StateMachineMqtt.PropertyTests.Fixtures.Requirements;

public sealed class ToolRequirementsTests
{
    private const string Missing = "spin is not on PATH: apt-get install spin.";

    [Fact]
    public void A_missing_tool_skips_with_the_package_to_install()
    {
        var (skip, failure) = ToolRequirements.Decide(Missing, required: false);
        Assert.Null(failure);
        Assert.StartsWith(Missing, skip, StringComparison.Ordinal);
        Assert.Contains(ToolRequirements.RequireVariable, skip, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_tool_fails_when_tools_are_required()
    {
        var (skip, failure) = ToolRequirements.Decide(Missing, required: true);
        Assert.Null(skip);
        Assert.Contains(Missing, failure, StringComparison.Ordinal);
        Assert.Contains(ToolRequirements.RequireVariable + "=1", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Present_tools_neither_skip_nor_fail(bool required) =>
        Assert.Equal((null, null), ToolRequirements.Decide(missing: null, required));

    [Fact]
    public void Every_tool_is_either_present_or_says_how_to_get_it()
    {
        foreach (Tool tool in Enum.GetValues<Tool>())
        {
            string? why = ToolRequirements.WhyMissing(tool);
            Assert.True(why is null || why.Contains("apt-get install", StringComparison.Ordinal) || why.Contains("root", StringComparison.Ordinal) || why.Contains("Linux", StringComparison.Ordinal), $"{tool}: {why}");
        }
    }

    [Fact]
    public void The_attributes_skip_exactly_when_the_decision_says_so()
    {
        Tool[] tools = [Tool.Mosquitto, Tool.Spin];
        Assert.Equal(ToolRequirements.Decide(tools).Skip, new RequiresToolsFactAttribute(tools).Skip);
        Assert.Equal(ToolRequirements.Decide(tools).Skip, new RequiresToolsTheoryAttribute(tools).Skip);
        Assert.Equal(tools, new RequiresToolsFactAttribute(tools).Tools);
    }
}
