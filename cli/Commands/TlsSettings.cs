using StateMachineMqtt.Transport;

namespace StateMachineMqtt.Cli.Commands;

/// <summary>Turns --cafile / --cert / --key into TLS options: the one place the CLI touches certificates.</summary>
internal static class TlsSettings
{
    /// <summary>TLS options for the flags given, or null for plain TCP. Missing or unreadable files throw <see cref="UsageException"/>.</summary>
    public static MqttTlsOptions? FromArguments(CliArguments arguments)
    {
        if (!arguments.UsesTls)
        {
            return null;
        }

        try
        {
            return MqttTlsOptions.FromPemFiles(arguments.CaFile, arguments.CertFile, arguments.KeyFile);
        }
        catch (FileNotFoundException e)
        {
            throw new UsageException($"{e.Message} Check the --cafile / --cert / --key paths.", e);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{e.Message} (--cafile, --cert and --key take PEM files.)", e);
        }
    }
}
