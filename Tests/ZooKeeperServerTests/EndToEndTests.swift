import NIOCore
import Testing
import ZooKeeperProtocol
import ZooKeeperTestSupport

@testable import ZooKeeperServer

struct EndToEndTests {
    @Test func timeoutIsNegotiatedWithinBounds() async throws {
        try await withServer { _, port in
            for (asked, granted) in [(Int32(1000), Int32(4000)), (10000, 10000), (100_000, 40000)] {
                let (client, response) = try await RawZooKeeperClient.connect(port: port, timeout: asked)
                #expect(response.timeOut == granted)
                #expect(response.passwd.count == 16)
                #expect(response.readOnly == false)
                await client.close()
            }
        }
    }

    @Test func createGetSetOverTCP() async throws {
        try await withServer { _, port in
            var (client, _) = try await RawZooKeeperClient.connect(port: port)
            let (h1, created) = try await client.call(.create2, createRequest("/a", [1, 2]), as: Create2Response.self)
            #expect(h1.err == .ok && created?.path == "/a" && created?.stat.dataLength == 2)
            let (h2, data) = try await client.call(
                .getData,
                GetDataRequest(path: "/a", watch: false),
                as: GetDataResponse.self
            )
            #expect(data?.data == [1, 2])
            #expect(h2.zxid == h1.zxid)
            let (h3, set) = try await client.call(
                .setData,
                SetDataRequest(path: "/a", data: nil, version: 0),
                as: StatResponse.self
            )
            #expect(set?.stat.version == 1 && h3.zxid == h1.zxid + 1)
            let (h4, _) = try await client.call(.create, createRequest("/a"), as: CreateResponse.self)
            #expect(h4.err == .nodeExists)
            #expect(h4.zxid == h3.zxid + 1)  // a failed write takes a zxid
            let (h5, _) = try await client.call(
                .getData,
                GetDataRequest(path: "/nope", watch: false),
                as: GetDataResponse.self
            )
            #expect(h5.err == .noNode && h5.zxid == h4.zxid)
            let (_, children) = try await client.call(
                .getChildren2,
                GetChildrenRequest(path: "/", watch: false),
                as: GetChildren2Response.self
            )
            #expect(Set(children?.children ?? []) == ["a", "zookeeper"])
            await client.close()
        }
    }

    @Test func watchEventComesBeforeTheReplyOfTheWriteThatFiredIt() async throws {
        try await withServer { _, port in
            var (client, _) = try await RawZooKeeperClient.connect(port: port)
            _ = try await client.call(.create, createRequest("/w"), as: CreateResponse.self)
            _ = try await client.call(.getData, GetDataRequest(path: "/w", watch: true), as: GetDataResponse.self)
            let xid = try await client.send(.setData, SetDataRequest(path: "/w", data: [1], version: -1))
            let (first, body) = try await client.nextReply()
            #expect(first.xid == -1 && first.zxid == -1)
            let event = try WatcherEvent.decodeWhole(body)
            #expect(event == WatcherEvent(type: .nodeDataChanged, state: .syncConnected, path: "/w"))
            let (second, _) = try await client.nextReply()
            #expect(second.xid == xid)
            await client.close()
        }
    }

    @Test func watchesAcrossConnectionsAndPersistent() async throws {
        try await withServer { _, port in
            var (watcher, _) = try await RawZooKeeperClient.connect(port: port)
            var (writer, _) = try await RawZooKeeperClient.connect(port: port)
            let (addHeader, added) = try await watcher.call(
                .addWatch,
                AddWatchRequest(path: "/p", mode: .persistentRecursive),
                as: IntResponse.self
            )
            #expect(addHeader.err == .ok && added?.value == 0)
            _ = try await watcher.call(.exists, ExistsRequest(path: "/p/x", watch: true), as: StatResponse.self)
            _ = try await writer.call(.create, createRequest("/p"), as: CreateResponse.self)
            _ = try await writer.call(.create, createRequest("/p/x"), as: CreateResponse.self)
            var events: [WatcherEvent] = []
            for _ in 0..<2 {
                let (header, body) = try await watcher.nextReply()
                #expect(header.xid == -1)
                events.append(try WatcherEvent.decodeWhole(body))
            }
            #expect(events.map(\.path) == ["/p", "/p/x"])
            #expect(events.allSatisfy { $0.type == .nodeCreated })
            let (removed, _) = try await watcher.call(
                .removeWatches,
                RemoveWatchesRequest(path: "/p", type: .any),
                as: EmptyRecord.self
            )
            #expect(removed.err == .ok)
            let (again, _) = try await watcher.call(
                .checkWatches,
                CheckWatchesRequest(path: "/p", type: .any),
                as: EmptyRecord.self
            )
            #expect(again.err == .noWatcher)
            await watcher.close()
            await writer.close()
        }
    }

    @Test func sessionResumesOnAnotherConnectionAndClosesTheOld() async throws {
        try await withServer { _, port in
            var (first, session) = try await RawZooKeeperClient.connect(port: port)
            _ = try await first.call(.create, createRequest("/e", [], .ephemeral), as: CreateResponse.self)
            var (second, resumed) = try await RawZooKeeperClient.connect(
                port: port,
                sessionId: session.sessionId,
                password: session.passwd,
                lastZxidSeen: 1
            )
            #expect(resumed.sessionId == session.sessionId && resumed.passwd == session.passwd)
            #expect(await first.isClosedByServer())
            let (_, eph) = try await second.call(
                .getEphemerals,
                GetEphemeralsRequest(path: "/"),
                as: GetEphemeralsResponse.self
            )
            #expect(eph?.strings == ["/e"])

            let (bad, rejected) = try await RawZooKeeperClient.connect(
                port: port,
                sessionId: session.sessionId,
                password: [UInt8](repeating: 7, count: 16)
            )
            #expect(
                rejected.timeOut == 0 && rejected.sessionId == 0 && rejected.passwd == [UInt8](repeating: 0, count: 16)
            )
            #expect(await bad.isClosedByServer())

            let (unknown, rejected2) = try await RawZooKeeperClient.connect(
                port: port,
                sessionId: 12345,
                password: session.passwd
            )
            #expect(rejected2.timeOut == 0)
            #expect(await unknown.isClosedByServer())

            var stale = try await RawZooKeeperClient.open(port: port)
            try await stale.sendRaw(ConnectRequest(lastZxidSeen: 1000, timeOut: 10000))
            #expect(try await stale.nextFrame() == nil)
            await second.close()
        }
    }

    @Test func closeSessionRepliesThenClosesAndRemovesEphemerals() async throws {
        try await withServer { _, port in
            var (client, _) = try await RawZooKeeperClient.connect(port: port)
            var (observer, _) = try await RawZooKeeperClient.connect(port: port)
            _ = try await client.call(.create, createRequest("/gone", [], .ephemeral), as: CreateResponse.self)
            let (reply, _) = try await client.call(.closeSession, EmptyRecord(), as: EmptyRecord.self)
            #expect(reply.err == .ok)
            #expect(await client.isClosedByServer())
            let (h, _) = try await observer.call(
                .exists,
                ExistsRequest(path: "/gone", watch: false),
                as: StatResponse.self
            )
            #expect(h.err == .noNode)
            await observer.close()
        }
    }

    @Test func sessionExpiryDeletesEphemeralsAndFiresWatches() async throws {
        let clock = ManualClock()
        try await withServer(clock: clock) { server, port in
            var (owner, session) = try await RawZooKeeperClient.connect(port: port, timeout: 4000)
            _ = try await owner.call(.create, createRequest("/parent"), as: CreateResponse.self)
            _ = try await owner.call(.create, createRequest("/parent/e", [], .ephemeral), as: CreateResponse.self)
            var (observer, _) = try await RawZooKeeperClient.connect(port: port, timeout: 40000)
            _ = try await observer.call(.exists, ExistsRequest(path: "/parent/e", watch: true), as: StatResponse.self)
            _ = try await observer.call(
                .getChildren,
                GetChildrenRequest(path: "/parent", watch: true),
                as: GetChildrenResponse.self
            )
            clock.advance(by: 3000)
            await server.tick()
            let (ping, _) = try await observer.call(.ping, EmptyRecord(), as: EmptyRecord.self)
            #expect(ping.err == .ok)
            clock.advance(by: 4000)
            await server.tick()
            var events: [WatcherEvent] = []
            for _ in 0..<2 { events.append(try WatcherEvent.decodeWhole(try await observer.nextReply().1)) }
            #expect(events.map(\.type) == [.nodeDeleted, .nodeChildrenChanged])
            #expect(await owner.isClosedByServer())
            let (late, rejected) = try await RawZooKeeperClient.connect(
                port: port,
                sessionId: session.sessionId,
                password: session.passwd
            )
            #expect(rejected.timeOut == 0)
            #expect(await late.isClosedByServer())
            await observer.close()
        }
    }

    @Test func multiOverTheWire() async throws {
        try await withServer { _, port in
            var (client, _) = try await RawZooKeeperClient.connect(port: port)
            let xid = try await client.send(.multi, MultiRequest(ops: []))
            let frame = try #require(try await client.nextFrame())
            #expect(frame.readableBytes == 25)
            #expect(frame.getInteger(at: 0, as: Int32.self) == xid)
            let failing = MultiRequest(ops: [
                .create(createRequest("/m"), .create),
                .check(CheckVersionRequest(path: "/", version: 99)),
                .delete(DeleteRequest(path: "/zz", version: -1)),
            ])
            let (header, response) = try await client.call(.multi, failing, as: MultiResponse.self)
            #expect(header.err == .ok)
            #expect(response?.results == [.error(.ok), .error(.badVersion), .error(.runtimeInconsistency)])
            let read = MultiRequest(ops: [
                .getData(GetDataRequest(path: "/", watch: false)),
                .getChildren(GetChildrenRequest(path: "/missing", watch: false)),
            ])
            let (_, readResponse) = try await client.call(.multiRead, read, as: MultiResponse.self)
            #expect(readResponse?.results.last == .error(.noNode))
            await client.close()
        }
    }

    @Test func unknownAndForbiddenOpcodes() async throws {
        try await withServer { _, port in
            var (client, _) = try await RawZooKeeperClient.connect(port: port)
            let (unknown, _) = try await client.call(OpCode(rawValue: 99), EmptyRecord(), as: EmptyRecord.self)
            #expect(unknown.err == .unimplemented)
            let (ttl, _) = try await client.call(
                .createTTL,
                CreateTTLRequest(path: "/t", data: [], acl: openACL, flags: .persistentWithTTL, ttl: 100),
                as: Create2Response.self
            )
            #expect(ttl.err == .unimplemented)
            let (addWatchFrameHeader, _) = try await client.call(.ping, EmptyRecord(), as: EmptyRecord.self)
            #expect(addWatchFrameHeader.xid == 3)
            try await client.send(.check, CheckVersionRequest(path: "/", version: 0))
            #expect(await client.isClosedByServer())
        }
    }

    @Test func authACLsAndWhoAmI() async throws {
        let superDigest = DigestAuth.digestId("super:test")
        try await withServer(ZooKeeperServerConfiguration(port: 0, superDigest: superDigest)) { _, port in
            var (alice, _) = try await RawZooKeeperClient.connect(port: port)
            try await alice.send(.auth, AuthPacket(scheme: "digest", auth: Array("alice:secret".utf8)), xid: -4)
            let (authReply, _) = try await alice.nextReply()
            #expect(authReply.xid == -4 && authReply.err == .ok && authReply.zxid == 0)
            let (_, who) = try await alice.call(.whoAmI, EmptyRecord(), as: WhoAmIResponse.self)
            #expect(
                who?.clientInfo == [
                    ClientInfo(authScheme: "digest", user: "alice"), ClientInfo(authScheme: "ip", user: "127.0.0.1"),
                ]
            )
            let mine = CreateRequest(
                path: "/mine",
                data: [1],
                acl: [ACL(perms: .all, id: .authIds)],
                flags: .persistent
            )
            _ = try await alice.call(.create, mine, as: CreateResponse.self)
            var (other, _) = try await RawZooKeeperClient.connect(port: port)
            let (denied, _) = try await other.call(
                .getData,
                GetDataRequest(path: "/mine", watch: false),
                as: GetDataResponse.self
            )
            #expect(denied.err == .noAuth)
            try await other.send(.auth, AuthPacket(scheme: "digest", auth: Array("super:test".utf8)), xid: -4)
            _ = try await other.nextReply()
            let (allowed, _) = try await other.call(
                .getData,
                GetDataRequest(path: "/mine", watch: false),
                as: GetDataResponse.self
            )
            #expect(allowed.err == .ok)
            try await other.send(.auth, AuthPacket(scheme: "bogus", auth: []), xid: -4)
            let (failed, _) = try await other.nextReply()
            #expect(failed.err == .authFailed)
            #expect(await other.isClosedByServer())
            await alice.close()
        }
    }

    @Test func fourLetterWordsRespectTheWhitelist() async throws {
        try await withServer { _, port in
            let srvr = try await RawZooKeeperClient.fourLetterWord("srvr", port: port)
            #expect(srvr.hasPrefix("Zookeeper version: 3.8.0-zoostack"))
            #expect(srvr.contains("Mode: standalone\n"))
            #expect(srvr.contains("Node count: 5\n"))
            let ruok = try await RawZooKeeperClient.fourLetterWord("ruok", port: port)
            #expect(ruok == "ruok is not executed because it is not in the whitelist.\n")
        }
        try await withServer(ZooKeeperServerConfiguration(port: 0, fourLetterWordWhitelist: ["*"])) { _, port in
            let ruok = try await RawZooKeeperClient.fourLetterWord("ruok", port: port)
            let isro = try await RawZooKeeperClient.fourLetterWord("isro", port: port)
            let envi = try await RawZooKeeperClient.fourLetterWord("envi", port: port)
            let mntr = try await RawZooKeeperClient.fourLetterWord("mntr", port: port)
            #expect(ruok == "imok")
            #expect(isro == "rw")
            #expect(envi.hasPrefix("Environment:\nzookeeper.version=3.8.0-zoostack"))
            #expect(mntr.contains("zk_server_state\tstandalone\n"))
        }
    }

    @Test func hostileClients() async throws {
        let config = ZooKeeperServerConfiguration(port: 0, maxClientCnxns: 2, handshakeTimeout: 200)
        try await withServer(config) { _, port in
            var silent = try await RawZooKeeperClient.open(port: port)
            var second = try await RawZooKeeperClient.open(port: port)
            var third = try await RawZooKeeperClient.open(port: port)
            #expect(try await third.nextFrame() == nil)  // over maxClientCnxns
            #expect(try await silent.nextFrame() == nil)  // no ConnectRequest within the deadline
            #expect(try await second.nextFrame() == nil)
        }
        // On a server of its own, so neither the connection limit nor the short handshake deadline can race it.
        try await withServer(ZooKeeperServerConfiguration(port: 0)) { _, port in
            var (client, _) = try await RawZooKeeperClient.connect(port: port)
            try await client.sendBytes([0x7F, 0, 0, 0])  // 2 GiB announced
            #expect(try await client.nextFrame() == nil)
        }
    }

    @Test func quirksOfApache380() async throws {
        try await withServer { _, port in
            var (client, _) = try await RawZooKeeperClient.connect(port: port)
            _ = try await client.call(.create, createRequest("/q"), as: CreateResponse.self)
            // create2 in a multi comes back as a plain create; createContainer as a create2.
            let multi = MultiRequest(ops: [
                .create(createRequest("/q/a"), .create2),
                .create(createRequest("/q/c", [], .container), .createContainer),
            ])
            let (_, response) = try await client.call(.multi, multi, as: MultiResponse.self)
            guard case .create(let path)? = response?.results.first,
                case .create2(_, _, let type)? = response?.results.last
            else {
                Issue.record("unexpected multi results \(String(describing: response))")
                return
            }
            #expect(path == "/q/a" && type == .create2)
            // multiRead holding a write: MarshallingError with an empty multi body.
            let xid = try await client.send(
                .multiRead,
                MultiRequest(ops: [.delete(DeleteRequest(path: "/q", version: -1))])
            )
            let (header, body) = try await client.nextReply()
            #expect(header.xid == xid && header.err == .marshallingError && body.readableBytes == 9)
            // op 10 and unknown ops: Unimplemented with zxid -1.
            let (old, _) = try await client.call(OpCode(rawValue: 10), EmptyRecord(), as: EmptyRecord.self)
            #expect(old.err == .unimplemented && old.zxid == -1)
            // sasl without SASL: an OK reply with a null token and zxid 0.
            let (sasl, token) = try await client.call(.sasl, AuthPacket(scheme: "", auth: []), as: IntResponse.self)
            #expect(sasl.err == .ok && sasl.zxid == 0 && token?.value == -1)
            // deleteContainer reads a raw path; a jute string's length prefix holds NUL bytes: BadArguments.
            let (dc, _) = try await client.call(.deleteContainer, PathRequest(path: "/q/c"), as: EmptyRecord.self)
            #expect(dc.err == .badArguments)
            await client.close()
        }
    }

    @Test func aClientThatDoesNotReadIsPausedThenServedInOrder() async throws {
        try await withServer { _, port in
            var (writer, _) = try await RawZooKeeperClient.connect(port: port)
            let big = [UInt8](repeating: 0x61, count: 256 * 1024)
            _ = try await writer.call(.create, createRequest("/big", big), as: CreateResponse.self)
            var (reader, _) = try await RawZooKeeperClient.connect(port: port)
            try await reader.channel.setOption(ChannelOptions.autoRead, value: false).get()
            var xids: [Int32] = []
            for _ in 0..<64 { xids.append(try await reader.send(.getData, GetDataRequest(path: "/big", watch: false))) }
            // The server keeps serving others while this client's replies wait.
            let (ping, _) = try await writer.call(.ping, EmptyRecord(), as: EmptyRecord.self)
            #expect(ping.err == .ok)
            try await reader.channel.setOption(ChannelOptions.autoRead, value: true).get()
            reader.channel.read()
            for xid in xids {
                let (header, body) = try await reader.nextReply()
                #expect(header.xid == xid && body.readableBytes == big.count + 4 + Stat.encodedSize)
            }
            await reader.close()
            await writer.close()
        }
    }
}
