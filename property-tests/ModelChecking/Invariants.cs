using StateMachineMqtt.Spec;

namespace StateMachineMqtt.PropertyTests.ModelChecking;

/// <summary>
/// The safety invariants checked in every reachable state. The checks that concern a step rather than a state (I1 on leaving,
/// I3 on each write, I4 on each PUBLISH, I8 on entering Connected) are made by <see cref="Composition"/> as the step happens.
/// </summary>
public static class Invariants
{
    /// <summary>The first invariant <paramref name="s"/> breaks, or null.</summary>
    public static Violation? Check(in SystemState s)
    {
        for (int i = 0; i < s.Count; i++)
        {
            HeldMessage m = s.Get(i);
            // I1: a message still in the client is held (it will be sent or re-sent), unless its flow has properly ended.
            bool held = m.State is PublishState.Queued or PublishState.AwaitingPubAck or PublishState.Resend;
            bool ended = (m.State == PublishState.Acked && m.BrokerHasIt) || (m.State == PublishState.Withdrawn && !m.Sent);
            if (!held && !ended)
            {
                return new Violation("I1", $"m{i} is {m.State} but {(m.State == PublishState.Acked ? "the broker never received it" : "it was sent")}: it will never be delivered");
            }

            // I2: a message in flight has a non-zero identifier that no other held message uses.
            bool inFlight = m.State is PublishState.AwaitingPubAck or PublishState.Resend;
            if (inFlight && m.PacketId == 0)
            {
                return new Violation("I2", $"m{i} is {m.State} with packet identifier 0");
            }

            for (int j = 0; j < i; j++)
            {
                if (m.PacketId != 0 && s.Get(j).PacketId == m.PacketId)
                {
                    return new Violation("I2", $"m{j} and m{i} both use packet identifier {m.PacketId}");
                }
            }
        }

        // I3: at most one CONNECT outstanding, and never once the link has been accepted.
        if (s.ConnectOutstanding && s.LinkAccepted)
        {
            return new Violation("I3", "a CONNECT is outstanding on a link already accepted");
        }

        return null;
    }
}
