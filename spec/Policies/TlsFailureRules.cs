namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// What a TLS failure means to the Connection machine, and what the user must do about it. A refused handshake names
    /// something in the client's settings or the broker's certificates that retrying cannot change, so it is a
    /// ConfigurationError: the table fails a first connect at once with it, and counts it as an outage once the client has
    /// connected before (a certificate renewed badly on the broker, which an administrator will fix). Only the server's
    /// refusal of the client certificate can come once the link is open; anything else then is a lost link.
    /// </summary>
    public static class TlsFailureRules
    {
        /// <summary>
        /// The trigger for <paramref name="failure"/>. <paramref name="linkOpen"/>: it came after the handshake, as a TLS 1.3
        /// server's refusal of the client certificate does (the client has already sent CONNECT when it hears it).
        /// </summary>
        public static ConnectionTrigger Trigger(TlsFailure failure, bool linkOpen)
        {
            if (linkOpen && failure != TlsFailure.RefusedByServer)
            {
                return ConnectionTrigger.LinkLost;
            }

            return ConnectionTrigger.ConfigurationError;
        }

        /// <summary>What was wrong, in a few words, for <paramref name="failure"/>.</summary>
        public static string Name(TlsFailure failure)
        {
            switch (failure)
            {
                case TlsFailure.UntrustedCertificate: return "the server certificate is not trusted";
                case TlsFailure.CertificateExpired: return "the server certificate has expired or is not yet valid";
                case TlsFailure.HostNameMismatch: return "the server certificate does not name the host";
                case TlsFailure.PinMismatch: return "the server public key does not match the pinned SPKI SHA-256";
                case TlsFailure.NoServerCertificate: return "the server sent no certificate";
                case TlsFailure.RefusedByServer: return "the broker refused the TLS handshake";
                case TlsFailure.VersionMismatch: return "client and broker share no TLS version";
                case TlsFailure.ClientCertificateUnavailable: return "no client certificate could be had";
                default: return "the TLS handshake failed";
            }
        }

        /// <summary>What to do about <paramref name="failure"/>.</summary>
        public static string Advice(TlsFailure failure)
        {
            switch (failure)
            {
                case TlsFailure.UntrustedCertificate: return "give the CA that issued the broker's certificate (MqttTlsOptions.TrustedCertificateAuthorities, smqtt --cafile), or install it in the system trust store";
                case TlsFailure.CertificateExpired: return "renew the broker's certificate (or check this machine's clock)";
                case TlsFailure.HostNameMismatch: return "connect by a name the certificate lists, or set MqttTlsOptions.TargetHost to one (smqtt --insecure skips this check)";
                case TlsFailure.PinMismatch: return "pin the broker's current key (its SPKI SHA-256, base64), or renew the pin after a key change";
                case TlsFailure.NoServerCertificate: return "configure a certificate on the broker's TLS listener";
                case TlsFailure.RefusedByServer: return "the broker may want a client certificate issued by a CA it trusts (MqttTlsOptions.ClientCertificate, smqtt --cert and --key), or a TLS version it speaks";
                case TlsFailure.VersionMismatch: return "allow a TLS version the broker speaks (MqttTlsOptions.MinimumVersion, smqtt --tls-version)";
                case TlsFailure.ClientCertificateUnavailable: return "make the client certificate provider return a certificate with its private key";
                default: return "check that the port is the broker's TLS listener";
            }
        }
    }
}
