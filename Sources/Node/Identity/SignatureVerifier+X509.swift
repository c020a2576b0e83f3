import Replication

extension SignatureVerifier {
    /// Verifies ECDSA P-256 signatures against the key of an X.509 certificate, as node
    /// identities make them (``NodeIdentity/sign(_:)``). A certificate that does not parse,
    /// holds another kind of key, or a signature that does not match: `false`.
    public static let x509 = SignatureVerifier(name: "x509") { payload, certificate, signature in
        (try? NodeIdentity.verify(signature: signature, over: payload, certificateDER: certificate)) != nil
    }
}

extension NodeIdentity {
    /// What the replica signs revocations with: this node's certificate and key.
    public var revocationSigner: RevocationSigner {
        let identity = self
        return RevocationSigner(certificate: certificateDER) { payload in try identity.sign(payload) }
    }
}
