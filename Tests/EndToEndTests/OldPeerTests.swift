import Foundation
import Logging
import NIOCore
import Node
import Replication
import TestSupport
import Testing

/// A 0.1.0 node dialling a running 0.2.0 `serve`: it is told, in its own protocol's refusal
/// message, to upgrade — no stall, nothing exchanged.
@Suite("A 0.1.0 peer is refused with a message to upgrade it", .onOwnThreads)
struct OldPeerTests {
    @Test func a010PeerDiallingServeIsToldToUpgrade() async throws {
        let folder = try TemporaryFolder()
        let old = try VersionTests.copyOf010(into: folder)  // the identity 0.1.0 made
        let oldIdentity = try NodeIdentity.load(from: old)
        let office = try TestNode("office", in: folder)
        try NodeCtl.ok(["customer", "add", "Not for old nodes"], data: office.data)
        try NodeCtl.ok(["peer", "add", oldIdentity.nodeID.description, "--name", "old"], data: office.data)
        let serve = try ServeProcess(office)
        let officeID = try #require(NodeID(office.id))
        let port = try #require(Int(serve.address.split(separator: ":").last ?? ""))

        let connection = try await PeerDialer.connect(
            host: "127.0.0.1",
            port: port,
            expected: officeID,
            identity: oldIdentity,
            verifier: PeerVerifier(trusting: [officeID]),
            framing: { channel in
                try channel.pipeline.syncOperations.addHandlers(
                    ByteToMessageHandler(SyncFrameDecoder()),
                    MessageToByteHandler(SyncFrameEncoder())
                )
            },
            inbound: SyncMessage.self,
            outbound: SyncMessage.self,
            timeouts: NetworkTimeouts(connect: .seconds(10), handshake: .seconds(10), idle: .seconds(20)),
            logger: Logger(label: "test.old-peer", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        // A 0.1.0 hello: protocol version 1; its receiver reads only the frozen prefix.
        let replies = try await connection.channel.executeThenClose { inbound, outbound in
            try await outbound.write(
                .hello(Hello(version: 1, nodeID: oldIdentity.nodeID, name: "hq", vector: VersionVector()))
            )
            var messages: [SyncMessage] = []
            for try await message in inbound { messages.append(message) }
            return messages
        }
        let refusal = replies.compactMap { message -> (String, String)? in
            if case .refusal(let code, let text) = message { return (code, text) }
            return nil
        }.first
        #expect(refusal?.0 == "upgrade-required")
        #expect(refusal?.1.contains("upgrade node 'hq'") == true, "refusal: \(refusal?.1 ?? "none")")
        #expect(!replies.contains { if case .batch = $0 { true } else { false } }, "nothing is exchanged")
        serve.stop()
        #expect(serve.output.contains("release 0.1.0"))
        let status = try NodeCtl.json(["status"], data: office.data) as? [String: Any]
        let peer = (status?["peers"] as? [[String: Any]])?.first
        #expect(peer?["peerVersion"] as? String == "0.1.0")
    }
}
