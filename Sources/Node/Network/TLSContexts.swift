import NIOSSL

/// Builds the TLS contexts a node uses to accept and to dial peers, from its ``NodeIdentity``.
///
/// Both contexts speak TLS 1.3 only, present the node's certificate with its key, and demand a
/// certificate from the peer (`certificateVerification = .noHostnameVerification`: the server
/// refuses a client that sends none). No certificate authority is trusted
/// (`trustRoots = .certificates([])`): the peer's certificate is judged only by the custom
/// verification callback that ``SyncListener`` and ``PeerDialer`` install on each connection,
/// which pins node ids through ``PeerVerifier``. A context made here without that callback
/// refuses every peer.
///
/// A context is expensive to make and safe to share: make it once per listener or per dialler.
public enum TLSContexts {
    /// The context for accepting peers.
    /// - Throws: ``NetworkError`` `.tlsSetup` if BoringSSL refuses the identity's key or certificate.
    public static func server(for identity: NodeIdentity) throws -> NIOSSLContext {
        try makeContext(configuration(for: identity, server: true), identity: identity)
    }

    /// The context for dialling peers.
    /// - Throws: ``NetworkError`` `.tlsSetup` if BoringSSL refuses the identity's key or certificate.
    public static func client(for identity: NodeIdentity) throws -> NIOSSLContext {
        try makeContext(configuration(for: identity, server: false), identity: identity)
    }

    /// The configuration of either side: TLS 1.3, the node's certificate and key, a peer
    /// certificate demanded, no trusted authority.
    static func configuration(for identity: NodeIdentity, server: Bool) throws -> TLSConfiguration {
        let certificate: NIOSSLCertificate
        let key: NIOSSLPrivateKey
        do {
            certificate = try NIOSSLCertificate(bytes: identity.certificateDER, format: .der)
            key = try NIOSSLPrivateKey(bytes: Array(identity.privateKeyPEM.utf8), format: .pem)
        } catch {
            throw NetworkError(
                .tlsSetup,
                "the key or certificate of node \(identity.nodeID) cannot be used for TLS: \(error)"
            )
        }
        var configuration: TLSConfiguration
        if server {
            configuration = .makeServerConfiguration(
                certificateChain: [.certificate(certificate)],
                privateKey: .privateKey(key)
            )
        } else {
            configuration = .makeClientConfiguration()
            configuration.certificateChain = [.certificate(certificate)]
            configuration.privateKey = .privateKey(key)
        }
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates([])
        configuration.additionalTrustRoots = []
        return configuration
    }

    private static func makeContext(_ configuration: TLSConfiguration, identity: NodeIdentity) throws -> NIOSSLContext {
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw NetworkError(.tlsSetup, "cannot make a TLS context for node \(identity.nodeID): \(error)")
        }
    }
}
