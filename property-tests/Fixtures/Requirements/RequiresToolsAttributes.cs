using Xunit.Sdk;

namespace StateMachineMqtt.PropertyTests.Fixtures.Requirements;

/// <summary>
/// A fact that needs <see cref="Tools"/>. Where one is missing it is skipped with the reason, or, with
/// <c>SMQTT_REQUIRE_TOOLS=1</c>, reported as failed (<see cref="ToolRequirements.Decide"/>).
/// </summary>
[XunitTestCaseDiscoverer("StateMachineMqtt.PropertyTests.Fixtures.Requirements.RequiresToolsFactDiscoverer", "StateMachineMqtt.PropertyTests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresToolsFactAttribute : FactAttribute
{
    /// <summary>A fact that runs only where every one of <paramref name="tools"/> is present.</summary>
    public RequiresToolsFactAttribute(params Tool[] tools)
    {
        Tools = tools;
        Skip = ToolRequirements.Decide(tools).Skip;
    }

    /// <summary>What the test needs.</summary>
    public IReadOnlyList<Tool> Tools { get; }
}

/// <summary>A theory that needs <see cref="Tools"/>; skipped or failed like <see cref="RequiresToolsFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("StateMachineMqtt.PropertyTests.Fixtures.Requirements.RequiresToolsTheoryDiscoverer", "StateMachineMqtt.PropertyTests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresToolsTheoryAttribute : TheoryAttribute
{
    /// <summary>A theory that runs only where every one of <paramref name="tools"/> is present.</summary>
    public RequiresToolsTheoryAttribute(params Tool[] tools)
    {
        Tools = tools;
        Skip = ToolRequirements.Decide(tools).Skip;
    }

    /// <summary>What the test needs.</summary>
    public IReadOnlyList<Tool> Tools { get; }
}
