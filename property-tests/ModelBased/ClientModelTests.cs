using StateMachineMqtt.PropertyTests.Fixtures.Seeds;
using FsCheck;
using FsCheck.Experimental;
using FsCheck.Fluent;

namespace StateMachineMqtt.PropertyTests.ModelBased;

/// <summary>
/// Model-based test: random operation sequences on the real client in the simulated world agree, after every
/// operation, with the pure model of the Connection and Publish tables. A failure prints FsCheck's seed and the
/// shrunk operation sequence.
/// </summary>
public class ClientModelTests
{
    [Fact]
    public void The_client_agrees_with_the_table_model_after_every_operation() =>
        TestSeeds.Check(new ClientMachine().ToProperty(), 300);
}
