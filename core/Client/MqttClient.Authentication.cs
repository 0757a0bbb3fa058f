using StateMachineMqtt.Engine;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;

namespace StateMachineMqtt;

/// <summary>
/// MQTT 5 enhanced authentication, as mechanism only: the engine says when the authenticator is asked and when AUTH goes;
/// this runs the authenticator off the loop, keeps the bytes each step carries, and reports its answers.
/// </summary>
public sealed partial class MqttClient
{
    private ReadOnlyMemory<byte>? _authenticationData; // the authenticator's last answer: what the next CONNECT or AUTH carries
    private ReadOnlyMemory<byte>? _brokerAuthenticationData; // the broker's last AUTH or CONNACK Authentication Data
    private int _authenticationQuestion; // the engine's number for the question the authenticator is answering
    private CancellationTokenSource? _authenticating;

    /// <summary>
    /// MQTT 5: re-authenticates with the <see cref="MqttClientOptions.EnhancedAuthenticator"/> [MQTT-4.12.1-1]. Connected,
    /// the authenticator's fresh data go in AUTH 0x19, and the call completes when the broker's AUTH 0x00 ends the exchange
    /// (other messages go on flowing meanwhile); while disconnected it completes with the next accepted CONNACK, whose
    /// CONNECT authenticated afresh. It fails with <see cref="MqttAuthenticationException"/> when the authenticator throws,
    /// the broker does not finish within ResponseTime, or the link closes first (a broker refuses with DISCONNECT); the
    /// client then reconnects. Cancelling ends only the wait. Before the first ConnectAsync, or without an authenticator,
    /// it throws InvalidOperationException.
    /// </summary>
    public Task ReauthenticateAsync(CancellationToken cancellationToken = default)
    {
        if (Refuse(cancellationToken) is { } refused)
        {
            return refused;
        }

        if (_options.EnhancedAuthenticator is null)
        {
            throw new InvalidOperationException("ReauthenticateAsync needs MQTT 5 enhanced authentication: set MqttClientOptions.EnhancedAuthenticator (and ProtocolVersion = V500).");
        }

        EnsureConnectCalled(nameof(ReauthenticateAsync));
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellationToken.Register(() => Post(new LoopEvent.CancelReauthenticate(waiter, cancellationToken)));
        _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Post(new LoopEvent.Reauthenticate(waiter));
        return AsCancelledWhenCancelled(waiter.Task);
    }

    /// <summary>Puts the engine's question to the authenticator, off the loop; the answer comes back as a loop event.</summary>
    private void AskAuthenticator(EngineAction action)
    {
        IMqttEnhancedAuthenticator authenticator = _options.EnhancedAuthenticator
            ?? throw new InvalidOperationException("The engine asked for an authenticator this client does not have.");
        CancelAuthenticating();
        var authenticating = new CancellationTokenSource();
        _authenticating = authenticating;
        _authenticationQuestion = action.PacketId;
        int link = action.Link;
        int question = action.PacketId;
        ReadOnlyMemory<byte>? brokerData = _brokerAuthenticationData;
        _ = Task.Factory.StartNew(
            async () =>
            {
                try
                {
                    ReadOnlyMemory<byte>? answer = null;
                    switch (action.Kind)
                    {
                        case ActionKind.AuthenticateStart:
                            answer = await authenticator.StartAsync(action.ReasonCode == Spec.AuthenticationRules.Reauthenticate, authenticating.Token);
                            break;
                        case ActionKind.AuthenticateContinue:
                            answer = await authenticator.ContinueAsync(brokerData, authenticating.Token);
                            break;
                        default:
                            await authenticator.CompleteAsync(brokerData, authenticating.Token);
                            break;
                    }

                    Post(new LoopEvent.AuthenticatorAnswered(link, question, answer, null));
                }
                catch (Exception e)
                {
                    Post(new LoopEvent.AuthenticatorAnswered(link, question, null, e));
                }
            },
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            _scheduler).Unwrap();
    }

    private void OnAuthenticatorAnswered(LoopEvent.AuthenticatorAnswered e, long now)
    {
        if (e.Question != _authenticationQuestion)
        {
            return; // an older question's answer: the engine would drop it too, and its data must not replace the current one
        }

        if (e.Exception is { } failure)
        {
            _engine.HandleAuthenticatorFailed(e.Link, e.Question, $"{failure.GetType().Name}: {failure.Message}", now);
            return;
        }

        _authenticationData = e.Answer;
        _engine.HandleAuthenticatorAnswer(e.Link, e.Question, now);
    }

    private void CancelAuthenticating()
    {
        if (_authenticating is { } authenticating)
        {
            _authenticating = null;
            authenticating.Cancel();
            authenticating.Dispose();
        }
    }

    private void OnAuth(int link, AuthPacket packet, long now)
    {
        _brokerAuthenticationData = packet.Properties?.AuthenticationData;
        _engine.HandleAuth(link, packet.ReasonCode, packet.Properties?.AuthenticationMethod, packet.Properties?.ReasonString, now);
    }

    /// <summary>The AUTH the engine asked for: its reason code, the method, and the authenticator's last answer.</summary>
    private AuthPacket EncodeAuth(EngineAction action) => new(
        (byte)action.ReasonCode,
        new MqttProperties { AuthenticationMethod = _engine.Options.AuthenticationMethod, AuthenticationData = _authenticationData });

    /// <summary>A CONNECT's enhanced authentication properties, when the client has an authenticator.</summary>
    private void AddAuthentication(MqttProperties properties)
    {
        if (_engine.Options.AuthenticationMethod is { } method)
        {
            properties.AuthenticationMethod = method;
            properties.AuthenticationData = _authenticationData;
        }
    }
}
