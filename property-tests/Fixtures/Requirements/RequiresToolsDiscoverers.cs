using Xunit.Abstractions;
using Xunit.Sdk;

namespace StateMachineMqtt.PropertyTests.Fixtures.Requirements;

/// <summary>
/// Discovers a <see cref="RequiresToolsFactAttribute"/> test as a plain fact, except that a missing tool under
/// <c>SMQTT_REQUIRE_TOOLS=1</c> becomes a test case that fails with the reason.
/// </summary>
public sealed class RequiresToolsFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    private readonly FactDiscoverer _inner = new(diagnosticMessageSink);

    /// <inheritdoc/>
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        RequiredToolFailure.For(diagnosticMessageSink, discoveryOptions, testMethod, factAttribute)
        ?? _inner.Discover(discoveryOptions, testMethod, factAttribute);
}

/// <summary>The theory counterpart of <see cref="RequiresToolsFactDiscoverer"/>.</summary>
public sealed class RequiresToolsTheoryDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    private readonly TheoryDiscoverer _inner = new(diagnosticMessageSink);

    /// <inheritdoc/>
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        RequiredToolFailure.For(diagnosticMessageSink, discoveryOptions, testMethod, factAttribute)
        ?? _inner.Discover(discoveryOptions, testMethod, factAttribute);
}

internal static class RequiredToolFailure
{
    /// <summary>A failing test case when the attribute's tools are missing and required; otherwise null.</summary>
    public static IEnumerable<IXunitTestCase>? For(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute)
    {
        IReadOnlyList<Tool> tools = attribute.GetNamedArgument<IReadOnlyList<Tool>>("Tools");
        string? failure = ToolRequirements.Decide(tools).Failure;
        return failure is null
            ? null
            : [new ExecutionErrorTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method, failure)];
    }
}
