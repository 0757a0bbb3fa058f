using System.Runtime.InteropServices;

namespace StateMachineMqtt.Cli;

/// <summary>
/// A shell that starts a command in the background from a script (no job control) sets its SIGINT to "ignored", and
/// .NET then leaves SIGINT alone: Ctrl+C handlers and PosixSignalRegistration never see it. mosquitto_sub still stops on
/// SIGINT however it was started, so smqtt restores the default disposition first, before .NET's signal handling starts
/// (its first use of Console or PosixSignalRegistration), and then handles SIGINT like SIGTERM: disconnect and exit.
/// </summary>
internal static class InheritedSignals
{
    private const int SigInt = 2;

    /// <summary>Un-ignores SIGINT on Linux and macOS; elsewhere, and if the call fails, nothing changes.</summary>
    public static void RestoreInterrupt()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            // SIG_DFL is 0 on both; the return value (the previous handler, or SIG_ERR) changes nothing here.
            _ = Signal(SigInt, IntPtr.Zero);
        }
    }

    [DllImport("libc", EntryPoint = "signal")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern IntPtr Signal(int signal, IntPtr handler);
}
