using System.Runtime.InteropServices;

namespace StateMachineMqtt.Store;

/// <summary>
/// fsync of a directory, so a rename inside it survives a power cut (POSIX makes a rename durable only once its directory
/// is synced). .NET opens no directory handles, hence libc. Windows and other systems: nothing to do here.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY
    private const int DirectoryOnly = 0x10000; // O_DIRECTORY on Linux

    /// <summary>Syncs <paramref name="directory"/>'s entries to disk; false when the system refused (the rename itself stands).</summary>
    public static bool Sync(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        int fd = Open(directory, ReadOnly | DirectoryOnly);
        if (fd < 0)
        {
            return false;
        }

        bool synced = FSync(fd) == 0;
        _ = Close(fd);
        return synced;
    }

#pragma warning disable CA2101 // the path is marshalled as UTF-8 explicitly, which is what Linux takes
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
#pragma warning restore CA2101

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int FSync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
