namespace StateMachineMqtt.Spec
{
    /// <summary>
    /// Why a TLS link could not be used, as the driver found it (the handshake's verdict on the server's certificate, or the
    /// server's refusal of ours). <see cref="TlsFailureRules"/> says which Connection trigger each fires and what the user
    /// must change.
    /// </summary>
    public enum TlsFailure
    {
        /// <summary>The handshake failed for a reason the driver could not name (the message says what it saw).</summary>
        HandshakeFailed = 0,

        /// <summary>The server's certificate does not chain to a trusted CA (the system store, or the CA file given).</summary>
        UntrustedCertificate = 1,

        /// <summary>The server's certificate (or one in its chain) has expired or is not yet valid.</summary>
        CertificateExpired = 2,

        /// <summary>The server's certificate does not name the host dialled (or the TargetHost given).</summary>
        HostNameMismatch = 3,

        /// <summary>The server's public key is not one of the pinned SPKI SHA-256 hashes.</summary>
        PinMismatch = 4,

        /// <summary>The server sent no certificate at all.</summary>
        NoServerCertificate = 5,

        /// <summary>The server ended the handshake after accepting nothing of ours: usually a client certificate it wants and did not get, or one its CA did not issue.</summary>
        RefusedByServer = 6,

        /// <summary>Client and server share no TLS version (e.g. the client asks for TLS 1.3 and the broker speaks only 1.2).</summary>
        VersionMismatch = 7,

        /// <summary>The client certificate provider failed or returned a certificate without its private key.</summary>
        ClientCertificateUnavailable = 8,
    }
}
