using Microsoft.Extensions.Options;

namespace StateMachineMqtt.Extensions.Hosting;

/// <summary>
/// Validates options with their own Validate method, so the host checks them by the same rule as the code that uses
/// them (MqttClient's constructor calls MqttClientOptions.Validate too): its ArgumentException becomes the failure.
/// </summary>
/// <param name="what">Names the options in the message, e.g. "MqttClientOptions (configuration section 'Mqtt')".</param>
/// <param name="validate">The options' own rule.</param>
internal sealed class ThrowingOptionsValidator<TOptions>(string what, Action<TOptions> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        try
        {
            validate(options);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{what}: {e.Message}");
        }
    }
}
