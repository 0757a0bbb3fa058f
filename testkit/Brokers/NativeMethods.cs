using System.Runtime.InteropServices;

namespace StateMachineMqtt.TestKit.Brokers;

/// <summary>POSIX signals for broker processes: .NET's Process.Kill only sends SIGKILL.</summary>
internal static class NativeMethods
{
    /// <summary>SIGTERM: ask the process to exit cleanly.</summary>
    public const int SigTerm = 15;

    /// <summary>kill(2): returns 0 on success, -1 on failure.</summary>
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);
}
