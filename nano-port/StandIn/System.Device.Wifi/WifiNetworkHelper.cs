// STAND-IN, not nanoFramework: the documented shape of WifiNetworkHelper (package nanoFramework.System.Device.Wifi),
// only what nano-port/Glue calls. The real ConnectDhcp also takes an optional CancellationToken, which nano's mscorlib
// lacks, so it is left out here; calls that omit it compile against both. Every body throws.
using System;

namespace System.Device.Wifi
{
    public enum WifiReconnectionKind
    {
        Automatic = 0,
        Manual = 1,
    }
}

namespace nanoFramework.Networking
{
    using System.Device.Wifi;

    public enum NetworkHelperStatus
    {
        None,
        Started,
        NetworkIsReady,
        FailedNoNetworkInterface,
        TokenExpiredWaitingIPAddress,
        TokenExpiredWaitingDateTime,
        ErrorConnetingToWiFiWhileScanning,
        ExceptionOccurred,
    }

    public static class WifiNetworkHelper
    {
        public static NetworkHelperStatus Status
        {
            get { throw NotReal(); }
        }

        public static Exception HelperException
        {
            get { throw NotReal(); }
        }

        public static bool ConnectDhcp(string ssid, string password, WifiReconnectionKind reconnectionKind = WifiReconnectionKind.Automatic, bool requiresDateTime = false, int wifiAdapterId = 0)
        {
            throw NotReal();
        }

        private static NotSupportedException NotReal()
        {
            return new NotSupportedException("This is the CI stand-in for nanoFramework.System.Device.Wifi (nano-port/StandIn); reference the real package on a device.");
        }
    }
}
