using System.Text;
using StateMachineMqtt.Transport;

namespace StateMachineMqtt;

/// <summary>
/// Credentials per link, as mechanism: ask the application's provider (or take the options' fixed ones) before a link is
/// opened, and hand the answer to the engine as data. What a failure means is the engine's (spec/'s Connection table).
/// </summary>
public sealed partial class MqttClient
{
    private async ValueTask<LinkCredentials> FetchCredentialsAsync(MqttCredentialsContext context, CancellationToken cancellationToken)
    {
        if (_options.CredentialsProvider is not { } provider)
        {
            return LinkCredentials.From(_options.UserName, _options.Password);
        }

        MqttCredentials? credentials = await provider(context, cancellationToken);
        if (credentials is null)
        {
            throw new InvalidCredentialsException("it returned null; return MqttCredentials.None for no credentials");
        }

        credentials.Validate(_options.ProtocolVersion);
        return LinkCredentials.From(credentials.UserName, credentials.Password);
    }

    private void OnCredentialsFailed(int number, Exception exception, long now)
    {
        _lastLinkException = exception;
        if (number == _connectingLink)
        {
            _connecting?.Dispose();
            _connecting = null;
            _connectingLink = 0;
        }

        // The provider's own exception is named with its type, for a message that says little.
        string description = exception is InvalidCredentialsException ? exception.Message : $"{exception.GetType().Name}: {exception.Message}";
        _engine.HandleCredentialsFailed(number, description, now);
    }
}

/// <summary>The user name and password for one link's CONNECT. Its ToString shows neither.</summary>
internal sealed class LinkCredentials
{
    private LinkCredentials(string? userName, byte[]? password)
    {
        UserName = userName;
        Password = password;
    }

    public string? UserName { get; }

    public byte[]? Password { get; }

    public static LinkCredentials From(string? userName, string? password) =>
        new(userName, password is null ? null : Encoding.UTF8.GetBytes(password));

    public override string ToString() => $"LinkCredentials {{ UserName = {(UserName is null ? "none" : "***")}, Password = {(Password is null ? "none" : "***")} }}";
}

/// <summary>A provider's answer that cannot go in a CONNECT; its message says why, without the values.</summary>
internal sealed class InvalidCredentialsException(string message) : Exception(message);
