import CloudCore
import CloudModel
import CloudStore
import Logging
import Testing

/// The core without the API over it: what a console or an agent calling the services directly gets.
struct CoreAccessTests {
    /// The core over a bootstrapped store, and the root admin as a caller.
    static func core() async throws -> (CloudServices, Caller) {
        let (store, _, logger) = try await CloudCoreTests.bootstrapped()
        let services = CloudServices(store: store, logger: logger)
        let admin = try #require(try await store.list(Account.self).items.first { $0.name == "admin" })
        let user = try #require(try await store.list(User.self).items.first { $0.accountId == admin.id })
        return (services, Caller(user: user, account: admin))
    }

    /// A user account made through the core, as its caller.
    static func user(_ name: String, _ services: CloudServices, admin: Caller) async throws -> Caller {
        let access = Access(caller: admin, command: "createAccount", services: services)
        let created = try await services.accounts.create(
            access,
            AccountService.NewAccount(
                name: name,
                domainId: nil,
                roleId: nil,
                accountType: "0",
                user: UserService.NewUser(
                    username: name,
                    password: "secret-\(name)",
                    email: "\(name)@example.com",
                    firstname: name,
                    lastname: "Test"
                )
            )
        )
        return Caller(user: created.user, account: created.account)
    }

    @Test func usersReachTheirOwnResourcesOnlyAndTheRootAdminReachesAll() async throws {
        let (services, admin) = try await Self.core()
        let alice = try await Self.user("alice", services, admin: admin)
        let bob = try await Self.user("bob", services, admin: admin)
        let asAlice = Access(caller: alice, command: "createSSHKeyPair", services: services)
        let (pair, privateKey) = try await services.sshKeyPairs.create(asAlice, owner: OwnerRequest(), name: "k1")
        #expect(pair.accountId == alice.account.id)
        #expect(privateKey.contains("PRIVATE KEY"))

        let asBob = Access(caller: bob, command: "listSSHKeyPairs", services: services)
        #expect(try await services.sshKeyPairs.list(asBob, ListRequest(), fingerprint: nil).items.isEmpty)
        // Bob naming Alice's account is out of his reach: CloudStack's 531 with its permission-denied code.
        let denied = await #expect(throws: CloudError.self) {
            _ = try await services.sshKeyPairs.list(asBob, ListRequest(account: "alice"), fingerprint: nil)
        }
        #expect(denied?.code == .accountError)
        #expect(denied?.csErrorCode == 4365)

        let asAdmin = Access(caller: admin, command: "listSSHKeyPairs", services: services)
        let all = try await services.sshKeyPairs.list(asAdmin, ListRequest(listAll: true), fingerprint: nil)
        #expect(all.items.map(\.id) == [pair.id])
        // Paging is checked in the core as the API checks it.
        let badPage = await #expect(throws: CloudError.self) {
            _ = try await services.sshKeyPairs.list(asAdmin, ListRequest(pageSize: 10), fingerprint: nil)
        }
        #expect(badPage?.code == .paramError)
        await services.store.close()
    }
}
