using System.Security.Authentication;
using System.Net.Sockets;
using System.Text;
using StateMachineMqtt.Engine;
using StateMachineMqtt.Protocol;
using StateMachineMqtt.Protocol.Packets;
using StateMachineMqtt.Protocol.V5;
using StateMachineMqtt.Spec;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt;

/// <summary>
/// The link, as mechanism only: opening and closing it when the engine says, encoding what the engine sends, and telling
/// the engine what arrived and what failed, in its terms.
/// </summary>
public sealed partial class MqttClient
{
    private PacketLink? _link;
    private bool _certificateRequestUnanswered; // the open link's server asked for a client certificate and got none
    private bool _heardOnLink; // a packet has arrived on the open link
    private int _connectingLink;
    private CancellationTokenSource? _connecting;

    private void Perform(EngineAction action)
    {
        switch (action.Kind)
        {
            case ActionKind.OpenLink: StartConnecting(action); break;
            case ActionKind.CloseLink: Close(action.Link); break;
            case ActionKind.AuthenticateStart or ActionKind.AuthenticateContinue or ActionKind.AuthenticateFinish: AskAuthenticator(action); break;
            case ActionKind.Send:
                if (_link is { } link && link.Generation == action.Link)
                {
                    link.Send(Encode(action), action.NotifyWritten ? action : null);
                    OnSent(action);
                }

                break;
        }
    }

    /// <summary>A PUBLISH or PUBREL went on the link: re-sends are logged, and a traced publish learns its packet identifier.</summary>
    private void OnSent(EngineAction action)
    {
        if (action.Packet == PacketKind.Publish)
        {
            OutboundMessage message = action.Message;
            if (action.Resend)
            {
                _logger.PublishResent(message.PacketId, message.Topic, message.Qos, message.Sends);
            }

            (message.Caller as PublishCall)?.Span?.Sent(message.PacketId, action.Resend);
        }
        else if (action.Packet == PacketKind.PubRel && action.Resend)
        {
            _logger.PubRelResent(action.PacketId);
        }
    }

    /// <summary>Starts opening the link <paramref name="open"/> numbers, to the server it names; the outcome arrives as an event.</summary>
    private void StartConnecting(EngineAction open)
    {
        int number = open.Link;
        CancelConnecting();
        var connecting = new CancellationTokenSource();
        _connecting = connecting;
        _connectingLink = number;
        IMqttTransport transport;
        try
        {
            transport = TransportToDial(open);
        }
        catch (FormatException e)
        {
            Post(new LoopEvent.ConnectFailed(number, e));
            return;
        }

        var context = new MqttCredentialsContext(_dialled.Host, PortOf(_dialled), _engine.ConnectAttempts, _engine.HasConnected);
        _ = Task.Factory.StartNew(
            async () =>
            {
                LinkCredentials credentials;
                try
                {
                    // Fetched before the link opens, so a refreshed token goes in this link's CONNECT.
                    credentials = await FetchCredentialsAsync(context, connecting.Token);
                }
                catch (Exception e) when (!connecting.IsCancellationRequested)
                {
                    Post(new LoopEvent.CredentialsFailed(number, e));
                    return;
                }
                catch (OperationCanceledException e)
                {
                    Post(new LoopEvent.ConnectFailed(number, e)); // abandoned: the engine ignores it for a stale link
                    return;
                }

                try
                {
                    IMqttLink opened = await transport.ConnectAsync(connecting.Token);
                    Post(new LoopEvent.LinkOpened(number, opened, credentials));
                }
                catch (Exception e)
                {
                    Post(new LoopEvent.ConnectFailed(number, e));
                }
            },
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            _scheduler).Unwrap();
    }

    private void CancelConnecting()
    {
        if (_connecting is { } connecting)
        {
            _connecting = null;
            connecting.Cancel();
            connecting.Dispose();
        }
    }

    private void Close(int number)
    {
        if (_connectingLink == number)
        {
            CancelConnecting();
        }

        CancelAuthenticating(); // its answer would be for a closed link
        if (_link is { } link && link.Generation == number)
        {
            _link = null;
            link.Close(_scheduler);
        }
    }

    private void OnLinkOpened(int number, IMqttLink opened, LinkCredentials credentials, long now)
    {
        if (number == _connectingLink)
        {
            _connecting?.Dispose();
            _connecting = null;
            _connectingLink = 0;
        }

        // Started before the engine's verdict: a link it does not want comes straight back as CloseLink.
        _link?.Close(_scheduler);
        _certificateRequestUnanswered = opened is StreamLink { CertificateRequestUnanswered: true };
        _heardOnLink = false;
        _link = new PacketLink(opened, number, _options.MaximumPacketSize, this, _options.ProtocolVersion, _options.TopicAliasMaximum, _options.AutomaticTopicAliases);
        _link.Start(_scheduler);
        _engine.HandleCredentials(number, credentials.UserName, credentials.Password, now);
        _engine.HandleLinkOpened(number, now);
    }

    /// <summary>Says what went wrong in the engine's terms: malformed input, a socket error code, an unusable address, or the end of the stream.</summary>
    private void OnLinkFailed(int number, Exception exception, long now)
    {
        string description = SocketErrorClassifier.Describe(exception);
        _lastLinkException = exception;
        if (_certificateRequestUnanswered && !_heardOnLink && _link?.Generation == number && exception is not MqttProtocolException)
        {
            // The broker asked for a client certificate, got none, and ended the link before answering anything: its refusal
            // (TLS 1.3 sends it after the handshake, and the reset it causes may reach us before its alert does).
            var refused = new MqttTlsException(TlsFailure.RefusedByServer, $"it asked for a client certificate, none was given, and it ended the link before any answer: {TlsAlerts.Describe(exception)}", exception);
            _lastLinkException = refused;
            _engine.HandleTlsFailure(number, refused.Failure, refused.Detail, now);
            return;
        }

        switch (exception)
        {
            case MqttProtocolException:
                _engine.HandleMalformed(number, description, now);
                break;
            case MqttTlsException tls:
                // spec/'s TlsFailureRules say what it means: a configuration error on a first connect, later an outage.
                _engine.HandleTlsFailure(number, tls.Failure, tls.Detail, now);
                break;
            case AuthenticationException:
                _engine.HandleTlsFailure(number, TlsFailure.HandshakeFailed, exception.Message, now);
                break;
            case IOException when TlsAlerts.IsRefusal(exception):
                // TLS 1.3 finishes the client's handshake before the server judges its certificate: its refusal arrives as
                // the first read fails, after CONNECT went.
                var refused = new MqttTlsException(TlsFailure.RefusedByServer, TlsAlerts.Describe(exception), exception);
                _lastLinkException = refused;
                _engine.HandleTlsFailure(number, refused.Failure, refused.Detail, now);
                break;
            default:
                if (SocketErrorClassifier.FindSocketException(exception) is { } socket)
                {
                    _engine.HandleLinkError(number, (int)socket.SocketErrorCode, description, now);
                }
                else if (exception is EndOfStreamException)
                {
                    _engine.HandleLinkClosed(number, description, now);
                }
                else
                {
                    _engine.HandleLinkError(number, (int)SocketErrorCode.SocketError, description, now);
                }

                break;
        }
    }

    private void OnPacket(int link, MqttPacket packet, long now)
    {
        _heardOnLink |= _link?.Generation == link;
        switch (packet)
        {
            case ConnAckPacket p:
                _brokerAuthenticationData = p.Properties?.AuthenticationData;
                _engine.HandleConnAck(link, p.SessionPresent, (int)p.ReturnCode, Terms(p.Properties), now); break;
            case PublishPacket p: _engine.HandlePublish(link, p.Topic, p.Payload.ToArray(), (int)p.QualityOfService, p.Retain, p.Dup, p.PacketId, p.Properties, now); break;
            case OversizedPublishPacket p: _engine.HandleOversizedPublish(link, p.Topic, (int)p.QualityOfService, p.Dup, p.PacketId, p.PacketSize, _options.MaximumPacketSize, now); break;
            case PubAckPacket p: _engine.HandlePubAck(link, p.PacketId, p.ReasonCode, p.Properties?.ReasonString, now); break;
            case PubRecPacket p: _engine.HandlePubRec(link, p.PacketId, p.ReasonCode, p.Properties?.ReasonString, now); break;
            case PubRelPacket p: _engine.HandlePubRel(link, p.PacketId, now); break;
            case PubCompPacket p: _engine.HandlePubComp(link, p.PacketId, now); break;
            case SubAckPacket p: _engine.HandleSubAck(link, p.PacketId, [.. p.ReturnCodes], now); break;
            case UnsubAckPacket p: _engine.HandleUnsubAck(link, p.PacketId, p.ReasonCodes is { } codes ? [.. codes] : null, p.Properties?.ReasonString, now); break;
            case PingRespPacket: _engine.HandlePingResp(link, now); break;
            case AuthPacket p: OnAuth(link, p, now); break;
            case DisconnectPacket p: _engine.HandleServerDisconnect(link, p.ReasonCode, p.Properties?.ReasonString, p.Properties?.ServerReference, now); break;
            default: _engine.HandleClientOnlyPacket(link, (PacketKind)(int)packet.Type, now); break;
        }
    }

    /// <summary>The session terms of an MQTT 5 CONNACK's properties; none under 3.1.1.</summary>
    private static ConnAckTerms Terms(MqttProperties? properties) => properties is null ? new ConnAckTerms() : new ConnAckTerms
    {
        ReceiveMaximum = properties.ReceiveMaximum ?? 0,
        ServerKeepAliveSeconds = properties.ServerKeepAlive is { } keepAlive ? keepAlive : -1,
        MaximumPacketSize = properties.MaximumPacketSize ?? 0,
        AssignedClientIdentifier = properties.AssignedClientIdentifier,
        ResponseInformation = properties.ResponseInformation,
        AuthenticationMethod = properties.AuthenticationMethod,
        ServerReference = properties.ServerReference,
    };

    /// <summary>An MQTT 5 CONNECT's properties: how long the session outlives a link, and the largest packet this client takes.</summary>
    private MqttProperties ConnectProperties()
    {
        long expiry = ConnectRules.SessionExpirySeconds(_options.CleanSession, _options.SessionExpiryInterval is { } e ? (long)e.TotalSeconds : -1);
        var properties = new MqttProperties();
        if (expiry > 0)
        {
            properties.SessionExpiryInterval = (uint)expiry;
        }

        if (_options.MaximumPacketSize < PacketSizeRules.MaximumPacketSize)
        {
            // The broker must not send more [MQTT-3.1.2-24]: it drops a message too large for this client instead.
            properties.MaximumPacketSize = (uint)_options.MaximumPacketSize;
        }

        foreach (MqttUserProperty pair in _options.ConnectUserProperties)
        {
            properties.UserProperties.Add(pair);
        }

        if (!_options.RequestProblemInformation)
        {
            properties.RequestProblemInformation = 0; // absent means 1: the broker may
        }

        if (_options.RequestResponseInformation)
        {
            properties.RequestResponseInformation = 1; // the broker may then offer Response Information in CONNACK [MQTT-3.1.2-28]
        }

        if (_options.ReceiveMaximum > 0)
        {
            // The broker keeps no more QoS 1 and 2 messages than this unacknowledged [MQTT-3.3.4-9]; absent means 65,535.
            properties.ReceiveMaximum = (ushort)_options.ReceiveMaximum;
        }

        if (_options.TopicAliasMaximum > 0)
        {
            properties.TopicAliasMaximum = (ushort)_options.TopicAliasMaximum; // the broker may alias that many topics, and no more [MQTT-3.3.2-11]
        }

        AddAuthentication(properties);
        return properties;
    }

    /// <summary>The packet the engine's send action describes.</summary>
    private MqttPacket Encode(EngineAction action)
    {
        switch (action.Packet)
        {
            case PacketKind.Connect:
                MqttWillMessage? will = _options.Will;
                return new ConnectPacket(
                    _engine.ClientIdentifier(_options.ClientId),
                    action.CleanSession,
                    (ushort)_options.KeepAlive.TotalSeconds,
                    action.CredentialsGiven ? action.UserName : _options.UserName,
                    action.CredentialsGiven
                        ? (action.Password is null ? null : (ReadOnlyMemory<byte>?)action.Password)
                        : (_options.Password is null ? null : Encoding.UTF8.GetBytes(_options.Password)),
                    will is null ? null : new MqttWill(will.Topic, will.Payload, will.QualityOfService, will.Retain, MessagePropertiesMapping.WillProperties(will, _options.ProtocolVersion)),
                    _options.ProtocolVersion == MqttProtocolVersion.V500 ? ConnectProperties() : null);
            case PacketKind.Publish:
                OutboundMessage m = action.Message;
                return new PublishPacket(m.Topic, m.Payload, (MqttQualityOfService)m.Qos, m.Retain, action.Dup, (ushort)m.PacketId, (MqttProperties?)m.Properties);
            case PacketKind.PubAck: return new PubAckPacket((ushort)action.PacketId);
            case PacketKind.PubRec: return new PubRecPacket((ushort)action.PacketId);
            case PacketKind.PubRel: return new PubRelPacket((ushort)action.PacketId);
            case PacketKind.PubComp: return new PubCompPacket((ushort)action.PacketId);
            case PacketKind.Subscribe:
                SubscriptionRequest subscribe = action.Request;
                return new SubscribePacket(
                    (ushort)action.PacketId,
                    [.. subscribe.Filters.Select((f, i) => SubscriptionOptionsMapping.ToWire(f, subscribe.Qos[i], subscribe.OptionsOf(i)))],
                    subscribe.Identifier == 0 ? null : new MqttProperties { SubscriptionIdentifiers = { (uint)subscribe.Identifier } });
            case PacketKind.Unsubscribe: return new UnsubscribePacket((ushort)action.PacketId, action.Request.Filters);
            case PacketKind.PingReq: return PingReqPacket.Instance;
            case PacketKind.Disconnect: return action.ReasonCode == 0 ? DisconnectPacket.Instance : new DisconnectPacket((byte)action.ReasonCode);
            case PacketKind.Auth: return EncodeAuth(action);
            default: throw new InvalidOperationException($"The engine asked to send {action.Packet}, which a client never sends.");
        }
    }
}
