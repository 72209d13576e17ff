import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Testing

/// Accounts and users: create/update/disable/enable/delete, keys, roles, and who may touch whom.
struct AccountAndUserTests {
    func login(_ cloud: TestCloud, _ username: String, _ password: String) async -> Int {
        await cloud.server.handle(
            APIRequest(
                method: "POST",
                parameters: APIParameters([
                    ("command", "login"), ("username", username), ("password", password), ("response", "json"),
                ])
            )
        ).status
    }

    @Test func rolesAreTheThreeDefaults() async throws {
        let cloud = try await TestCloud.make()
        let (_, roles) = await cloud.call("listRoles")
        #expect(roles["count"]?.int == 3)
        let pairs = roles.items.map { "\($0["name"]?.stringValue ?? "")/\($0["type"]?.stringValue ?? "")" }
        #expect(pairs == ["Root Admin/Admin", "Domain Admin/DomainAdmin", "User/User"])
        let domainAdmin = try #require(roles.items.first { $0["type"]?.stringValue == "DomainAdmin" }?["id"])
        let (_, byType) = await cloud.call("listRoles", ["type": "User"])
        #expect(byType.items.map { $0["name"]?.stringValue } == ["User"])

        let (status, created) = await cloud.call(
            "createAccount",
            [
                "username": "rita", "password": "p", "email": "e@x", "firstname": "F", "lastname": "L",
                "roleid": domainAdmin.stringValue ?? "",
            ]
        )
        #expect(status == 200)
        #expect(created["account"]?["accounttype"]?.int == 2)
        #expect(created["account"]?["rolename"]?.stringValue == "Domain Admin")
        #expect(created["account"]?["domainpath"]?.stringValue == "ROOT")
        let user = try await cloud.makeUser("sam")
        let (_, userRoles) = await cloud.call("listRoles", keys: user)
        #expect(userRoles.items.map { $0["name"]?.stringValue } == ["User"])
        let (badRole, _) = await cloud.call(
            "createAccount",
            [
                "username": "tom", "password": "p", "email": "e@x", "firstname": "F", "lastname": "L",
                "roleid": "00000000-0000-0000-0000-000000000000",
            ]
        )
        #expect(badRole == 431)
    }

    @Test func usersAreCreatedUpdatedAndDeleted() async throws {
        let cloud = try await TestCloud.make()
        let owner = try await cloud.account("uma")
        let (created, body) = await cloud.call(
            "createUser",
            [
                "account": "uma", "username": "uma2", "password": "first", "email": "u@x", "firstname": "U",
                "lastname": "M",
            ]
        )
        #expect(created == 200)
        let second = try #require(body["user"]?["id"]?.stringValue)
        #expect(body["user"]?["accountid"]?.stringValue == owner.id)
        let (duplicate, _) = await cloud.call(
            "createUser",
            ["account": "uma", "username": "uma2", "password": "p", "email": "e", "firstname": "F", "lastname": "L"]
        )
        #expect(duplicate == 431)

        let (updated, changed) = await cloud.call(
            "updateUser",
            ["id": second, "email": "new@x", "firstname": "Una", "lastname": "Moe", "password": "second"]
        )
        #expect(updated == 200)
        #expect(changed["user"]?["email"]?.stringValue == "new@x")
        #expect(changed["user"]?["firstname"]?.stringValue == "Una")
        #expect(await self.login(cloud, "uma2", "first") == 531)
        #expect(await self.login(cloud, "uma2", "second") == 200)
        let stored = try #require(try await cloud.server.core.store.get(User.self, id: second))
        #expect(stored.passwordHash.hasPrefix("pbkdf2-sha256$"))

        // A user changing its own password must give the current one.
        let (wrongCurrent, _) = await cloud.call(
            "updateUser",
            ["id": owner.userId, "password": "x", "currentpassword": "nope"],
            keys: owner.keys
        )
        #expect(wrongCurrent == 431)
        let (ownChange, _) = await cloud.call(
            "updateUser",
            ["id": owner.userId, "password": "x2", "currentpassword": "pw-uma"],
            keys: owner.keys
        )
        #expect(ownChange == 200)
        #expect(await self.login(cloud, "uma", "x2") == 200)

        let (_, users) = await cloud.call("listUsers", ["account": "uma"])
        #expect(users["count"]?.int == 2)
        let (deleted, success) = await cloud.call("deleteUser", ["id": second])
        #expect(deleted == 200)
        #expect(success["success"] == .string("true"))
        #expect(try await cloud.server.core.store.get(User.self, id: second) == nil)
    }

    @Test func usersCannotSeeOrTouchOtherAccounts() async throws {
        let cloud = try await TestCloud.make()
        let victor = try await cloud.account("victor")
        let wendy = try await cloud.account("wendy")
        let job = try await cloud.deploy(keys: victor.keys)
        let vm = try #require(job["jobresult"]?["virtualmachine"]?["id"]?.stringValue)

        #expect(await cloud.ids("listVirtualMachines", ["listall": "true"], keys: wendy.keys).isEmpty)
        #expect(await cloud.ids("listVirtualMachines", ["id": vm], keys: wendy.keys).isEmpty)
        #expect(await cloud.ids("listUsers", ["listall": "true"], keys: wendy.keys) == [wendy.userId])
        #expect(await cloud.ids("listAccounts", ["listall": "true"], keys: wendy.keys) == [wendy.id])
        for (command, parameters) in [
            ("stopVirtualMachine", ["id": vm]), ("destroyVirtualMachine", ["id": vm]),
            ("updateUser", ["id": victor.userId, "email": "x@y"]), ("getUserKeys", ["id": victor.userId]),
            ("registerUserKeys", ["id": victor.userId]),
        ] {
            let (status, body) = await cloud.call(command, parameters, keys: wendy.keys)
            #expect(status == 531, "\(command): \(body.json)")
        }
        let (foreignList, _) = await cloud.call(
            "listVirtualMachines",
            ["account": "victor"],
            keys: wendy.keys
        )
        #expect(foreignList == 531)
        for command in ["disableUser", "deleteUser", "deleteAccount", "createUser"] {
            let (status, _) = await cloud.call(command, ["id": victor.userId], keys: wendy.keys)
            #expect(status == 432, "\(command)")
        }
        let (keys, body) = await cloud.call("getUserKeys", ["id": wendy.userId], keys: wendy.keys)
        #expect(keys == 200)
        #expect(body["userkeys"]?["apikey"]?.stringValue == wendy.keys.0)
        #expect(body["userkeys"]?["secretkey"]?.stringValue == wendy.keys.1)
    }

    @Test func disabledUsersAndLockedAccountsAreRefused() async throws {
        let cloud = try await TestCloud.make()
        let xena = try await cloud.account("xena")
        let disabled = try await cloud.callAndWait("disableUser", ["id": xena.userId])
        #expect(disabled["jobresult"]?["user"]?["state"]?.stringValue == "disabled")
        let (refused, body) = await cloud.call("listZones", keys: xena.keys)
        #expect(refused == 401)
        #expect(body["errortext"]?.stringValue == "unable to verify user credentials and/or request signature")
        let (enabled, _) = await cloud.call("enableUser", ["id": xena.userId])
        #expect(enabled == 200)
        #expect(await cloud.call("listZones", keys: xena.keys).status == 200)

        let locked = try await cloud.callAndWait("disableAccount", ["id": xena.id, "lock": "true"])
        #expect(locked["jobresult"]?["account"]?["state"]?.stringValue == "locked")
        #expect(await cloud.call("listZones", keys: xena.keys).status == 401)
        let (enableAccount, account) = await cloud.call("enableAccount", ["id": xena.id])
        #expect(enableAccount == 200)
        #expect(account["account"]?["state"]?.stringValue == "enabled")
        #expect(await cloud.call("listZones", keys: xena.keys).status == 200)

        let (missingLock, _) = await cloud.call("disableAccount", ["id": xena.id])
        #expect(missingLock == 431)
        let (_, admins) = await cloud.call("listAccounts", ["name": "admin"])
        let adminId = try #require(admins.items.first?["id"]?.stringValue)
        let (self_, _) = await cloud.call("disableAccount", ["id": adminId, "lock": "true"])
        #expect(self_ == 431)
    }

    @Test func disablingAnAccountStopsItsVMs() async throws {
        let cloud = try await TestCloud.make()
        let yuri = try await cloud.account("yuri")
        let job = try await cloud.deploy(keys: yuri.keys)
        let vm = try #require(job["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let disabled = try await cloud.callAndWait("disableAccount", ["id": yuri.id, "lock": "false"])
        #expect(disabled["jobresult"]?["account"]?["state"]?.stringValue == "disabled")
        #expect(try await cloud.server.core.store.get(VirtualMachine.self, id: vm)?.state == .stopped)
    }

    @Test func updateAndDeleteAccount() async throws {
        let cloud = try await TestCloud.make()
        let zack = try await cloud.account("zack")
        _ = try await cloud.account("taken")
        let job = try await cloud.deploy(keys: zack.keys)
        let vm = try #require(job["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let (renamed, body) = await cloud.call("updateAccount", ["id": zack.id, "newname": "zed"])
        #expect(renamed == 200)
        #expect(body["account"]?["name"]?.stringValue == "zed")
        let (byName, _) = await cloud.call("updateAccount", ["account": "zed", "newname": "zed2"])
        #expect(byName == 200)
        let (duplicate, _) = await cloud.call("updateAccount", ["id": zack.id, "newname": "taken"])
        #expect(duplicate == 431)

        let deleted = try await cloud.callAndWait("deleteAccount", ["id": zack.id])
        #expect(deleted["jobstatus"]?.int == 1, "\(deleted.json)")
        #expect(deleted["jobresult"]?["success"] == .bool(true))
        #expect(try await cloud.server.core.store.get(VirtualMachine.self, id: vm) == nil)
        #expect(try await cloud.server.core.store.get(User.self, id: zack.userId) == nil)
        #expect(await cloud.call("listZones", keys: zack.keys).status == 401)
        #expect(try await cloud.server.core.store.list(Host.self).items.map(\.cpuUsed).reduce(0, +) == 0)
    }
}
