// Sample ESP32 application for Visual Studio with the .NET nanoFramework extension (not built in CI; see docs/nano.md).
// Joins Wi-Fi, connects to a broker, subscribes to a command topic and publishes a counter at QoS 1 every 10 s,
// polling the client every 20 ms from the main thread.
using System;
using System.Diagnostics;
using System.Text;
using System.Threading;
using StateMachineMqtt.Nano.Client;
using StateMachineMqtt.Nano.Codec;
using StateMachineMqtt.Nano.Glue;

namespace StateMachineMqtt.Nano.Device
{
    public class Program
    {
        private const string Ssid = "your-ssid";
        private const string Password = "your-wifi-password";
        private const string Broker = "192.168.1.10";

        public static void Main()
        {
            if (!WifiLink.Join(Ssid, Password))
            {
                Debug.WriteLine("Wi-Fi did not come up: check Ssid and Password. The client would keep retrying anyway.");
            }

            var wifi = new WifiLink();
            var options = new NanoMqttOptions
            {
                Host = Broker,
                Connect = new NanoConnectOptions { ClientId = "esp32-demo", CleanSession = false, KeepAliveSeconds = 60 },
                // MQTT 5 instead (docs/nano.md, "MQTT 5 on the device"):
                // ProtocolVersion = StateMachineMqtt.Spec.MqttProtocolVersion.V500, SessionExpirySeconds = 3600,
                // ReceiveMaximum = 4, ConnectUserProperties = new[] { new NanoUserProperty("model", "esp32") },
                // and a will with properties: Connect.WillProperties = new NanoProperties { WillDelayInterval = 30 }.
            };
            var client = new NanoMqttClient(options, new NanoSocketAdapter(), new NanoUptimeClock(), new Events());
            client.Subscribe("demo/esp32/cmd", 1);
            client.Connect();

            var clock = new NanoUptimeClock();
            long nextPublish = 0;
            int counter = 0;
            while (true)
            {
                wifi.Pump(client);
                client.Poll();
                if (client.IsConnected && clock.NowMilliseconds >= nextPublish)
                {
                    // UTF-8 of an ASCII string; nanoFramework.System.Text's Encoding.UTF8 would do the same.
                    client.Publish("demo/esp32/counter", Encoding.UTF8.GetBytes((counter++).ToString()), 1, false);
                    nextPublish = clock.NowMilliseconds + 10000;
                }

                Thread.Sleep(20);
            }
        }

        private sealed class Events : INanoMqttEvents
        {
            public void MessageReceived(string topic, byte[] payload, int qos, bool retain, bool dup)
            {
                Debug.WriteLine("message on " + topic + ": " + payload.Length + " bytes");
            }

            public void ConnectionChanged(bool up)
            {
                Debug.WriteLine(up ? "broker link up" : "broker link down");
            }

            public void ConnectFailed(string reason)
            {
                Debug.WriteLine("connect failed: " + reason);
            }
        }
    }
}
