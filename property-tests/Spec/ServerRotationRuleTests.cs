using FsCheck;
using FsCheck.Xunit;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.Spec;

/// <summary>Broker failover's pure rules: the next server, the backoff per full round, and which Server Reference is followed.</summary>
public sealed class ServerRotationRuleTests
{
    [Fact]
    public void The_next_server_walks_the_list_and_wraps_round()
    {
        Assert.Equal(new[] { 1, 2, 0, 1 }, new[] { 0, 1, 2, 0 }.Select(s => ServerRotationRules.NextServer(s, 3)));
        Assert.Equal(0, ServerRotationRules.NextServer(0, 1));
        Assert.Equal(0, ServerRotationRules.NextServer(0, 0));
    }

    [Property(MaxTest = 500)]
    public bool Every_server_is_dialled_once_per_round(PositiveInt count, NonNegativeInt start)
    {
        int n = count.Get % 12 + 1;
        int server = start.Get % n;
        var seen = new HashSet<int>();
        for (int i = 0; i < n; i++)
        {
            seen.Add(server);
            server = ServerRotationRules.NextServer(server, n);
        }

        return seen.Count == n && server == start.Get % n;
    }

    [Fact]
    public void The_backoff_grows_once_per_full_round_of_the_list()
    {
        Assert.Equal(new[] { 1, 1, 1, 2, 2, 2, 3 }, Enumerable.Range(1, 7).Select(f => ServerRotationRules.BackoffAttempt(f, 3)));
        Assert.Equal(new[] { 1, 2, 3, 4 }, Enumerable.Range(1, 4).Select(f => ServerRotationRules.BackoffAttempt(f, 1)));
        Assert.Equal(1, ServerRotationRules.BackoffAttempt(0, 3));
    }

    [Property(MaxTest = 500)]
    public bool With_one_server_the_backoff_attempt_is_the_failure_count(PositiveInt failures) =>
        ServerRotationRules.BackoffAttempt(failures.Get, 1) == failures.Get;

    [Theory]
    [InlineData(false, "b:1884", null)]
    [InlineData(true, null, null)]
    [InlineData(true, "  ", null)]
    [InlineData(true, "b:1884", "b:1884")]
    [InlineData(true, " b:1884 c:1885", "b:1884")]
    public void A_Server_Reference_is_followed_only_when_the_user_enabled_it(bool follow, string? reference, string? expected) =>
        Assert.Equal(expected, ServerRotationRules.ReferenceToFollow(follow, reference));
}
