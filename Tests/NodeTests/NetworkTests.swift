import Crypto
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Node
import Replication
import Synchronization
import TestSupport
import Testing

@Suite("TLS transport between nodes", .timeLimit(.minutes(1)), .onOwnThreads)
struct NetworkTests {
    // MARK: messages both ways

    @Test("mutually trusted nodes exchange messages both ways, each knowing the other's node id")
    func mutualTrust() async throws {
        let server = try NodeIdentity.generate(name: "Büro Köln – Server")
        let client = try NodeIdentity.generate(name: "laptop-anna")
        let trust = TrustStore([client.nodeID])
        let served = Recorder<String>()
        let messages = [
            "hello",
            "",
            "Grüße aus Köln – ✓ 🚀",
            "line\nbreak\r\n\u{0}nul and \"quotes\"",
            String(repeating: "0123456789abcdef", count: 20_000),  // 320 KB: many TLS records
        ]

        try await withListener(identity: server, trust: trust) { peer in
            try await peer.channel.executeThenClose { inbound, outbound in
                for try await message in inbound {
                    served.append("\(peer.remoteNodeID)|\(peer.remoteAddress.hasPrefix("127.0.0.1:"))")
                    try await outbound.write("\(peer.remoteNodeID.short)|\(message)")
                }
            }
        } body: { port in
            let connection = try await dial(
                port: port,
                expected: server.nodeID,
                identity: client,
                trusting: [server.nodeID]
            )
            #expect(connection.remoteNodeID == server.nodeID)
            #expect(connection.remoteAddress == "127.0.0.1:\(port)")
            let replies = try await connection.channel.executeThenClose { inbound, outbound in
                var replies: [String] = []
                var iterator = inbound.makeAsyncIterator()
                for message in messages {
                    try await outbound.write(message)
                    replies.append(try #require(try await iterator.next()))
                }
                return replies
            }
            #expect(replies == messages.map { "\(client.nodeID.short)|\($0)" })
        }
        #expect(served.all == Array(repeating: "\(client.nodeID)|true", count: messages.count))
    }

    // MARK: refusals

    @Test("a server that does not trust the client fails the client's first read and never calls its handler")
    func untrustedClient() async throws {
        let server = try NodeIdentity.generate(name: "server")
        let client = try NodeIdentity.generate(name: "stranger")
        let someoneElse = try NodeIdentity.generate(name: "someone-else")
        let calls = Recorder<NodeID>()

        try await withListener(identity: server, trust: TrustStore([someoneElse.nodeID])) { peer in
            calls.append(peer.remoteNodeID)
        } body: { port in
            let connection = try await dial(
                port: port,
                expected: server.nodeID,
                identity: client,
                trusting: [server.nodeID]
            )
            let error = await readError(connection, after: "may I sync?")
            #expect(error?.code == .refusedByPeer)
            #expect(error?.presentedNodeID == server.nodeID)
            #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        }
        #expect(calls.all.isEmpty)
    }

    @Test("a refused client is logged by the server with the node id it presented")
    func refusalIsLogged() async throws {
        let server = try NodeIdentity.generate(name: "server")
        let client = try NodeIdentity.generate(name: "unknown laptop")
        let logs = LogRecorder()

        try await withListener(identity: server, trust: TrustStore([]), logger: logs.logger) { _ in
        } body: { port in
            let connection = try await dial(
                port: port,
                expected: server.nodeID,
                identity: client,
                trusting: [server.nodeID]
            )
            _ = await readError(connection, after: "hello")
        }
        let refusals = logs.entries.filter { $0.message.hasPrefix("refused TLS peer") }
        #expect(refusals.count == 1)
        let refusal = try #require(refusals.first)
        #expect(refusal.level == .info)
        #expect(refusal.message.contains(client.nodeID.description))
        #expect(refusal.message.contains("127.0.0.1:"))
        #expect(refusal.metadata["peer.node"] == "\(client.nodeID)")
    }

    /// (server answering, node the dialler expects, nodes the dialler trusts, error)
    static let dialRefusals: [(answering: String, expected: String, trusted: [String], code: NetworkError.Code)] = [
        ("A", "B", ["A", "B"], .impostor),  // another trusted node answers at the address
        ("A", "B", ["B"], .impostor),
        ("A", "A", [], .untrustedPeer),  // the right node, but it is no longer trusted
        ("A", "A", ["B"], .untrustedPeer),
    ]

    @Test(
        "the dialler refuses a server that is not the pinned, trusted node, before writing anything",
        arguments: dialRefusals
    )
    func dialRefusal(answering: String, expected: String, trusted: [String], code: NetworkError.Code) async throws {
        let nodes = ["A": try NodeIdentity.generate(name: "node A"), "B": try NodeIdentity.generate(name: "node B")]
        let client = try NodeIdentity.generate(name: "client")
        let server = try #require(nodes[answering])
        let expectedID = try #require(nodes[expected]).nodeID
        let trustedIDs = try trusted.map { try #require(nodes[$0]).nodeID }
        let calls = Recorder<NodeID>()
        let logs = LogRecorder()

        try await withListener(identity: server, trust: TrustStore([client.nodeID]), logger: logs.logger) { peer in
            calls.append(peer.remoteNodeID)
        } body: { port in
            let error = await #expect(throws: NetworkError.self) {
                try await dialAndClose(port: port, expected: expectedID, identity: client, trusting: trustedIDs)
            }
            #expect(error?.code == code)
            #expect(error?.presentedNodeID == server.nodeID)
            #expect(error?.message.contains(server.nodeID.description) == true)
            #expect(error?.message.contains("127.0.0.1:\(port)") == true)
            // The server sees the client refuse it; it never gets a session.
            try await eventually {
                logs.entries.contains {
                    $0.message.hasPrefix("no TLS session") && $0.message.contains("refused this node")
                }
            }
        }
        #expect(calls.all.isEmpty)
    }

    // MARK: trust changes and robustness

    @Test("a node trusted after the listener started is accepted without a restart")
    func newlyTrusted() async throws {
        let server = try NodeIdentity.generate(name: "server")
        let client = try NodeIdentity.generate(name: "new laptop")
        let trust = TrustStore([])

        try await withListener(identity: server, trust: trust) { peer in
            try await echo(peer)
        } body: { port in
            let first = try await dial(port: port, expected: server.nodeID, identity: client, trusting: [server.nodeID])
            #expect(await readError(first, after: "knock knock")?.code == .refusedByPeer)

            trust.add(client.nodeID)
            let second = try await dial(
                port: port,
                expected: server.nodeID,
                identity: client,
                trusting: [server.nodeID]
            )
            #expect(try await roundTrip(second, "now?") == "now?")
        }
    }

    /// Bytes a confused or hostile client might send instead of a TLS ClientHello.
    struct Garbage: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let bytes: [UInt8]
        init(_ name: String, _ bytes: [UInt8]) {
            self.testDescription = name
            self.bytes = bytes
        }
    }

    static let garbage: [Garbage] = [
        Garbage("nothing, then close", []),
        Garbage("an HTTP request", Array("GET / HTTP/1.1\r\nHost: node.local\r\n\r\n".utf8)),
        Garbage("an SSH banner", Array("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".utf8)),
        Garbage("4 KB of noise", (0..<4096).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }),
        Garbage("a truncated TLS record", [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01]),
        Garbage("a TLS record header claiming 64 KB", [0x16, 0x03, 0x03, 0xFF, 0xFF]),
        Garbage("a TLS 1.0 alert", [0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28]),
    ]

    @Test("the listener drops a garbage (non-TLS) connection and keeps serving", arguments: garbage)
    func garbageConnection(_ garbage: Garbage) async throws {
        let bytes = garbage.bytes
        let server = try NodeIdentity.generate(name: "server")
        let client = try NodeIdentity.generate(name: "client")
        let timeouts = NetworkTimeouts(handshake: .milliseconds(500))

        try await withListener(identity: server, trust: TrustStore([client.nodeID]), timeouts: timeouts) { peer in
            try await echo(peer)
        } body: { port in
            // The server closes the connection: at once for bad bytes, after the handshake
            // timeout for a client that stays silent or sends half a record.
            let raw = try await rawConnection(port: port)
            let leftover = try await raw.executeThenClose { inbound, outbound in
                if !bytes.isEmpty { try await outbound.write(ByteBuffer(bytes: bytes)) }
                var received = 0
                do {
                    for try await buffer in inbound { received += buffer.readableBytes }
                } catch {
                    // A reset is as good as a close here.
                }
                return received
            }
            #expect(leftover < 100, "at most a TLS alert comes back")

            let connection = try await dial(
                port: port,
                expected: server.nodeID,
                identity: client,
                trusting: [server.nodeID]
            )
            #expect(try await roundTrip(connection, "still there?") == "still there?")
        }
    }

    /// A TLS client built by hand, as another implementation or an attacker might.
    struct HandmadeClient: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let accepted: Bool
        let configure: @Sendable (NodeIdentity) throws -> TLSConfiguration
    }

    static let handmadeClients: [HandmadeClient] = [
        HandmadeClient(testDescription: "no client certificate", accepted: false) { _ in
            try handmadeConfiguration(certificate: nil, key: nil)
        },
        HandmadeClient(testDescription: "TLS 1.2 at most", accepted: false) { identity in
            var configuration = try handmadeConfiguration(
                certificate: identity,
                key: NIOSSLPrivateKey(bytes: Array(identity.privateKeyPEM.utf8), format: .pem)
            )
            configuration.maximumTLSVersion = .tlsv12
            return configuration
        },
        HandmadeClient(testDescription: "a trusted node's certificate without its key", accepted: false) { identity in
            try handmadeConfiguration(
                certificate: identity,
                key: NIOSSLPrivateKey(customPrivateKey: SigningKey(.init()))
            )
        },
        // The control for the case above: the same custom signing, with the right key, gets in.
        HandmadeClient(testDescription: "a trusted node's certificate with its key", accepted: true) { identity in
            let key = try P256.Signing.PrivateKey(pemRepresentation: identity.privateKeyPEM)
            return try handmadeConfiguration(
                certificate: identity,
                key: NIOSSLPrivateKey(customPrivateKey: SigningKey(key))
            )
        },
    ]

    @Test("a hand-made TLS client gets in only with a trusted certificate and its key", arguments: handmadeClients)
    func handmadeClient(_ client: HandmadeClient) async throws {
        let server = try NodeIdentity.generate(name: "server")
        let trusted = try NodeIdentity.generate(name: "trusted laptop")
        let calls = Recorder<NodeID>()

        try await withListener(identity: server, trust: TrustStore([trusted.nodeID])) { peer in
            calls.append(peer.remoteNodeID)
            try await echo(peer)
        } body: { port in
            let reply = try await handmadeExchange(port: port, configuration: client.configure(trusted), message: "hi")
            if client.accepted {
                #expect(reply == "hi")
            } else {
                #expect(reply == nil)
            }
            // The listener still serves a proper client.
            let connection = try await dial(
                port: port,
                expected: server.nodeID,
                identity: trusted,
                trusting: [server.nodeID]
            )
            #expect(try await roundTrip(connection, "and you?") == "and you?")
        }
        #expect(calls.all == Array(repeating: trusted.nodeID, count: client.accepted ? 2 : 1))
    }

    @Test("an idle timeout closes a quiet connection and the reader gets .timeout")
    func idleTimeout() async throws {
        let server = try NodeIdentity.generate(name: "server")
        let client = try NodeIdentity.generate(name: "client")
        let endings = Recorder<String>()
        // Long enough that a loaded machine still writes the first message before it fires.
        let timeouts = NetworkTimeouts(handshake: .seconds(5), idle: .seconds(2))

        try await withListener(identity: server, trust: TrustStore([client.nodeID]), timeouts: timeouts) { peer in
            do {
                try await echo(peer)
                endings.append("end of stream")
            } catch let error as NetworkError {
                endings.append("\(error.code)")
            }
        } body: { port in
            let connection = try await dial(
                port: port,
                expected: server.nodeID,
                identity: client,
                trusting: [server.nodeID]
            )
            try await connection.channel.executeThenClose { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                try await outbound.write("one message, then silence")
                #expect(try await iterator.next() == "one message, then silence")
                try await eventually { !endings.all.isEmpty }
                guard !endings.all.isEmpty else { return }
                // The server has closed after 2 s of silence: end of stream, or `.closed` if
                // the TCP connection ended before the TLS close_notify was read.
                do {
                    #expect(try await iterator.next() == nil)
                } catch let error as NetworkError {
                    #expect(error.code == .closed)
                }
            }
        }
        #expect(endings.all == ["timeout"])
    }

    @Test("cancelling the listener closes its open connections and run() returns")
    func cancellation() async throws {
        let server = try NodeIdentity.generate(name: "server")
        let client = try NodeIdentity.generate(name: "client")
        let ended = Recorder<Bool>()
        let (port, run) = try await startListener(identity: server, trust: TrustStore([client.nodeID])) { peer in
            try? await echo(peer)
            ended.append(true)
        }
        let connection = try await dial(
            port: port,
            expected: server.nodeID,
            identity: client,
            trusting: [server.nodeID]
        )
        try await connection.channel.executeThenClose { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            try await outbound.write("ping")
            #expect(try await iterator.next() == "ping")

            run.cancel()
            try await run.value  // returns, rather than throwing CancellationError
            #expect(ended.all == [true])
            do {
                #expect(try await iterator.next() == nil)
            } catch let error as NetworkError {
                #expect(error.code == .closed)
            }
        }
    }

    // MARK: dialling failures

    @Test("dialling a closed port fails with .unreachable naming the address")
    func unreachable() async throws {
        let port = try await freePort()
        let server = try NodeIdentity.generate(name: "server")
        let client = try NodeIdentity.generate(name: "client")
        let error = await #expect(throws: NetworkError.self) {
            try await dialAndClose(port: port, expected: server.nodeID, identity: client, trusting: [server.nodeID])
        }
        #expect(error?.code == .unreachable)
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        #expect(error?.presentedNodeID == nil)
    }

    @Test("dialling a server that never speaks TLS fails with .timeout after the handshake timeout")
    func handshakeTimeout() async throws {
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(silent.localAddress?.port)
        let server = try NodeIdentity.generate(name: "server")
        let client = try NodeIdentity.generate(name: "client")
        let started = ContinuousClock.now
        let error = await #expect(throws: NetworkError.self) {
            try await dialAndClose(
                port: port,
                expected: server.nodeID,
                identity: client,
                trusting: [server.nodeID],
                timeouts: NetworkTimeouts(handshake: .milliseconds(300))
            )
        }
        #expect(error?.code == .timeout)
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        #expect(ContinuousClock.now - started < .seconds(5))
        try await silent.close()
    }

    // MARK: the verifier alone

    @Test("the verifier accepts trusted ids, refuses others and impostors, and logs only refusals")
    func verifierVerdicts() throws {
        let trusted = try NodeIdentity.generate(name: "trusted")
        let other = try NodeIdentity.generate(name: "other")
        let verifier = PeerVerifier(trusting: [trusted.nodeID])
        let logs = LogRecorder()
        let cases: [(certificate: [UInt8], expected: NodeID?, verdict: PeerVerifier.Verdict)] = [
            (trusted.certificateDER, nil, .accepted(trusted.nodeID)),
            (trusted.certificateDER, trusted.nodeID, .accepted(trusted.nodeID)),
            (other.certificateDER, nil, .untrusted(other.nodeID)),
            (other.certificateDER, other.nodeID, .untrusted(other.nodeID)),
            (other.certificateDER, trusted.nodeID, .impostor(presented: other.nodeID, expected: trusted.nodeID)),
            (trusted.certificateDER, other.nodeID, .impostor(presented: trusted.nodeID, expected: other.nodeID)),
            ([0x30, 0x00], nil, .untrusted(NodeID(certificateDER: [0x30, 0x00]))),  // not a certificate at all
        ]
        for (certificate, expected, verdict) in cases {
            let result = verifier.verify(
                leafCertificateDER: certificate,
                expected: expected,
                remoteAddress: "[fe80::1]:7420",
                logger: logs.logger
            )
            #expect(result == verdict)
            #expect(result.presented == NodeID(certificateDER: certificate))
        }
        #expect(logs.entries.count == 5)
        #expect(logs.entries.allSatisfy { $0.level == .info && $0.message.contains("[fe80::1]:7420") })
        let loggedNodes = logs.entries.map { $0.metadata["peer.node"].map { "\($0)" } }
        #expect(loggedNodes == cases.dropFirst(2).map { "\($0.verdict.presented)" })
    }
}

// MARK: - helpers

/// Starts a listener on 127.0.0.1, port 0; returns the bound port and the task running it.
private func startListener(
    identity: NodeIdentity,
    trust: TrustStore,
    timeouts: NetworkTimeouts = NetworkTimeouts(handshake: .seconds(5)),
    logger: Logger = Logger(label: "test.listener", factory: { _ in SwiftLogNoOpLogHandler() }),
    handler: @escaping @Sendable (PeerConnection<String, String>) async throws -> Void
) async throws -> (port: Int, run: Task<Void, any Error>) {
    let listener = SyncListener<String, String>(
        host: "127.0.0.1",
        port: 0,
        identity: identity,
        verifier: { PeerVerifier(trusting: trust.snapshot) },
        framing: addStringFraming,
        timeouts: timeouts,
        logger: logger
    )
    let (bound, boundContinuation) = AsyncStream.makeStream(of: Int.self)
    let run = Task(executorPreference: OwnThreadsExecutor.shared) {
        defer { boundContinuation.finish() }
        try await listener.run(onBound: { boundContinuation.yield($0.port ?? 0) }, handler: handler)
    }
    var ports = bound.makeAsyncIterator()
    guard let port = await ports.next() else {
        try await run.value
        throw ListenerDidNotBind()
    }
    return (port, run)
}

private struct ListenerDidNotBind: Error {}

/// Runs a listener for the duration of `body`, then cancels it and checks that `run` returned.
private func withListener(
    identity: NodeIdentity,
    trust: TrustStore,
    timeouts: NetworkTimeouts = NetworkTimeouts(handshake: .seconds(5)),
    logger: Logger = Logger(label: "test.listener", factory: { _ in SwiftLogNoOpLogHandler() }),
    handler: @escaping @Sendable (PeerConnection<String, String>) async throws -> Void,
    body: (Int) async throws -> Void
) async throws {
    let (port, run) = try await startListener(
        identity: identity,
        trust: trust,
        timeouts: timeouts,
        logger: logger,
        handler: handler
    )
    do {
        try await body(port)
    } catch {
        run.cancel()
        _ = await run.result
        throw error
    }
    run.cancel()
    try await run.value
}

private func dial(
    port: Int,
    expected: NodeID,
    identity: NodeIdentity,
    trusting trusted: [NodeID],
    timeouts: NetworkTimeouts = NetworkTimeouts(connect: .seconds(5), handshake: .seconds(5))
) async throws -> PeerConnection<String, String> {
    try await PeerDialer.connect(
        host: "127.0.0.1",
        port: port,
        expected: expected,
        identity: identity,
        verifier: PeerVerifier(trusting: trusted),
        framing: addStringFraming,
        inbound: String.self,
        outbound: String.self,
        timeouts: timeouts,
        logger: Logger(label: "test.dialer", factory: { _ in SwiftLogNoOpLogHandler() })
    )
}

/// Dials and, should that succeed when a test expects it not to, closes the connection again
/// (NIO traps on a connection dropped while open).
private func dialAndClose(
    port: Int,
    expected: NodeID,
    identity: NodeIdentity,
    trusting trusted: [NodeID],
    timeouts: NetworkTimeouts = NetworkTimeouts(connect: .seconds(5), handshake: .seconds(5))
) async throws {
    let connection = try await dial(
        port: port,
        expected: expected,
        identity: identity,
        trusting: trusted,
        timeouts: timeouts
    )
    try await connection.channel.executeThenClose { _, _ in }
}

/// Echoes every message back until the peer closes.
private func echo(_ peer: PeerConnection<String, String>) async throws {
    try await peer.channel.executeThenClose { inbound, outbound in
        for try await message in inbound { try await outbound.write(message) }
    }
}

/// Sends one message and returns the first reply.
private func roundTrip(_ connection: PeerConnection<String, String>, _ message: String) async throws -> String? {
    try await connection.channel.executeThenClose { inbound, outbound in
        try await outbound.write(message)
        var iterator = inbound.makeAsyncIterator()
        return try await iterator.next()
    }
}

/// Writes `message` (ignoring a failed write, as a refused client may see one) and returns the
/// error of the first read, or `nil` if the read succeeded.
private func readError(_ connection: PeerConnection<String, String>, after message: String) async -> NetworkError? {
    do {
        return try await connection.channel.executeThenClose { inbound, outbound in
            try? await outbound.write(message)
            do {
                var iterator = inbound.makeAsyncIterator()
                _ = try await iterator.next()
                return nil
            } catch let error as NetworkError {
                return error
            }
        }
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

/// A plain TCP connection to the listener, for sending it garbage.
private func rawConnection(port: Int) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
    try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
}

/// A client configuration that does not check the server, with an optional client certificate.
private func handmadeConfiguration(certificate: NodeIdentity?, key: NIOSSLPrivateKey?) throws -> TLSConfiguration {
    var configuration = TLSConfiguration.makeClientConfiguration()
    configuration.certificateVerification = .none
    if let certificate, let key {
        configuration.certificateChain = [
            .certificate(try NIOSSLCertificate(bytes: certificate.certificateDER, format: .der))
        ]
        configuration.privateKey = .privateKey(key)
    }
    return configuration
}

/// Connects with a plain NIOSSL client, sends `message`, and returns the first reply, or `nil`
/// when the connection fails or ends first.
private func handmadeExchange(port: Int, configuration: TLSConfiguration, message: String) async throws -> String? {
    let context = try NIOSSLContext(configuration: configuration)
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(
                    NIOSSLClientHandler(context: context, serverHostname: nil)
                )
                try addStringFraming(channel)
                return try NIOAsyncChannel<String, String>(wrappingChannelSynchronously: channel)
            }
        }
    return try await channel.executeThenClose { inbound, outbound in
        try? await outbound.write(message)
        var iterator = inbound.makeAsyncIterator()
        return try? await iterator.next()
    }
}

/// A private key that signs in Swift, as a hardware token would: lets a test pair a
/// certificate with a key that is not its own, which BoringSSL refuses for ordinary keys.
private struct SigningKey: NIOSSLCustomPrivateKey, Hashable {
    private let raw: Data

    init(_ key: P256.Signing.PrivateKey) { raw = key.rawRepresentation }

    var signatureAlgorithms: [SignatureAlgorithm] { [.ecdsaSecp256R1Sha256] }

    func sign(channel: any Channel, algorithm: SignatureAlgorithm, data: ByteBuffer) -> EventLoopFuture<ByteBuffer> {
        do {
            let key = try P256.Signing.PrivateKey(rawRepresentation: raw)
            let signature = try key.signature(for: Data(data.readableBytesView))
            return channel.eventLoop.makeSucceededFuture(ByteBuffer(bytes: signature.derRepresentation))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
    }

    func decrypt(channel: any Channel, data: ByteBuffer) -> EventLoopFuture<ByteBuffer> {
        channel.eventLoop.makeFailedFuture(NIOSSLError.failedToLoadPrivateKey)
    }
}

/// A port nothing listens on: bound once, then closed.
private func freePort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .bind(host: "127.0.0.1", port: 0).get()
    let port = try #require(channel.localAddress?.port)
    try await channel.close()
    return port
}

/// Waits until `condition` holds, failing after five seconds.
private func eventually(_ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(15)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within 15 s")
            return
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}

// MARK: - test framing: UTF-8 strings behind a 4-byte big-endian length

@Sendable private func addStringFraming(_ channel: any Channel) throws {
    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(StringFrameDecoder()))
    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(StringFrameEncoder()))
}

private struct FrameTooLong: Error {}

private struct StringFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = String
    static let maximumLength = 1 << 20

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        guard length <= Self.maximumLength else { throw FrameTooLong() }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        let text = buffer.readString(length: Int(length)) ?? ""
        context.fireChannelRead(Self.wrapInboundOut(text))
        return .continue
    }
}

private struct StringFrameEncoder: MessageToByteEncoder {
    func encode(data: String, out: inout ByteBuffer) throws {
        out.writeInteger(UInt32(data.utf8.count))
        out.writeString(data)
    }
}

// MARK: - shared state for tests

/// The set of trusted node ids, changeable while a listener runs.
private final class TrustStore: Sendable {
    private let ids: Mutex<Set<NodeID>>
    init(_ ids: Set<NodeID>) { self.ids = Mutex(ids) }
    var snapshot: Set<NodeID> { ids.withLock { $0 } }
    func add(_ id: NodeID) { _ = ids.withLock { $0.insert(id) } }
}

/// Values appended from any task.
private final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}

/// An in-memory log handler; the global logging system is never bootstrapped.
private final class LogRecorder: Sendable {
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: Logger.Metadata
    }

    private let recorded = Mutex<[Entry]>([])
    var entries: [Entry] { recorded.withLock { $0 } }
    func append(_ entry: Entry) { recorded.withLock { $0.append(entry) } }

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            recorder.append(Entry(level: event.level, message: "\(event.message)", metadata: merged))
        }
    }
}
