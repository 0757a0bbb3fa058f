using System.Device.Wifi;
using System.Net.NetworkInformation;
using nanoFramework.Networking;
using StateMachineMqtt.Nano.Client;

namespace StateMachineMqtt.Nano.Glue
{
    /// <summary>
    /// Wi-Fi up/down for the client, like mqtt_as's wifi callback: nanoFramework raises NetworkAvailabilityChanged on its
    /// own thread, so the change is only noted there and handed to the (single-threaded) client by <see cref="Pump"/> on
    /// the polling thread.
    /// </summary>
    public sealed class WifiLink
    {
        private readonly object _lock = new object();
        private bool _available = true;
        private bool _changed;

        /// <summary>Starts listening for network availability changes.</summary>
        public WifiLink()
        {
            NetworkChange.NetworkAvailabilityChanged += OnAvailabilityChanged;
        }

        /// <summary>
        /// Joins the access point with DHCP and waits for an address and the date (blocks: call it before the poll loop).
        /// False when it failed; WifiNetworkHelper.Status and HelperException say why.
        /// </summary>
        public static bool Join(string ssid, string password)
        {
            return WifiNetworkHelper.ConnectDhcp(ssid, password, WifiReconnectionKind.Automatic, true);
        }

        /// <summary>Tells <paramref name="client"/> of a change noted since the last call. Call from the polling thread.</summary>
        public void Pump(NanoMqttClient client)
        {
            bool changed;
            bool available;
            lock (_lock)
            {
                changed = _changed;
                available = _available;
                _changed = false;
            }

            if (changed)
            {
                client.WifiChanged(available);
            }
        }

        private void OnAvailabilityChanged(object sender, NetworkAvailabilityEventArgs e)
        {
            lock (_lock)
            {
                _available = e.IsAvailable;
                _changed = true;
            }
        }
    }
}
