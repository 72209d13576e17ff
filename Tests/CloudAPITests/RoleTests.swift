import CloudAPI
import CloudCore
import CloudModel
import Foundation
import Testing

@Suite("Dynamic roles and their permissions")
struct RoleTests {
    /// Creates an account of `roleId` and returns its API keys.
    static func account(_ cloud: TestCloud, _ name: String, roleId: String) async throws -> (String, String) {
        let (status, created) = await cloud.call(
            "createAccount",
            [
                "username": name, "password": "pw-\(name)", "email": "\(name)@example.com", "firstname": "F",
                "lastname": "L", "roleid": roleId,
            ]
        )
        #expect(status == 200, "\(created.json)")
        let account = try #require(created["account"])
        #expect(account["roleid"]?.stringValue == roleId)
        guard case .array(let users)? = account["user"], let userId = users.first?["id"]?.stringValue else {
            throw CancellationError()
        }
        let (_, keys) = await cloud.call("registerUserKeys", ["id": userId])
        let apiKey = try #require(keys["userkeys"]?["apikey"]?.stringValue)
        let secret = try #require(keys["userkeys"]?["secretkey"]?.stringValue)
        return (apiKey, secret)
    }

    @Test func createUpdateEnableDisableAndDeleteWithCloudStacksRefusals() async throws {
        let cloud = try await TestCloud.make()
        let (status, created) = await cloud.call(
            "createRole",
            ["name": "Operators", "type": "User", "description": "runs VMs"]
        )
        #expect(status == 200, "\(created.json)")
        let role = try #require(created["role"])
        let id = try #require(role["id"]?.stringValue)
        #expect(role["type"]?.stringValue == "User")
        #expect(role["isdefault"] == .bool(false))
        #expect(role["ispublic"] == .bool(true))
        #expect(role["state"]?.stringValue == "ENABLED")
        #expect(role["description"]?.stringValue == "runs VMs")
        let (missing, missingBody) = await cloud.call("createRole", ["type": "User"])
        #expect(missing == 431)
        #expect(missingBody["errortext"]?.stringValue?.contains("name") == true)
        let (neither, neitherBody) = await cloud.call("createRole", ["name": "x"])
        #expect(neither == 431)
        #expect(neitherBody["errortext"]?.stringValue == "Neither role type nor role ID is provided")
        let (both, _) = await cloud.call("createRole", ["name": "x", "type": "User", "roleid": id])
        #expect(both == 431)
        let (badType, _) = await cloud.call("createRole", ["name": "x", "type": "Boss"])
        #expect(badType == 431)
        let (taken, _) = await cloud.call("createRole", ["name": "Operators", "type": "User"])
        #expect(taken == 431)

        let defaultUser = Role.user.roleId
        let (updateDefault, updateDefaultBody) = await cloud.call("updateRole", ["id": defaultUser, "name": "x"])
        #expect(updateDefault == 531)
        #expect(updateDefaultBody["errortext"]?.stringValue == "Default roles cannot be updated")
        let (deleteDefault, deleteDefaultBody) = await cloud.call("deleteRole", ["id": defaultUser])
        #expect(deleteDefault == 531)
        #expect(deleteDefaultBody["errortext"]?.stringValue == "Default roles cannot be deleted")
        let (permissionOnDefault, _) = await cloud.call(
            "createRolePermission",
            ["roleid": defaultUser, "rule": "listZones", "permission": "deny"]
        )
        #expect(permissionOnDefault == 531)

        let (updated, updatedBody) = await cloud.call(
            "updateRole",
            ["id": id, "name": "Ops", "type": "DomainAdmin", "ispublic": "false"]
        )
        #expect(updated == 200, "\(updatedBody.json)")
        #expect(updatedBody["role"]?["name"]?.stringValue == "Ops")
        #expect(updatedBody["role"]?["type"]?.stringValue == "DomainAdmin")
        #expect(updatedBody["role"]?["ispublic"] == .bool(false))
        let (disabled, _) = await cloud.call("disableRole", ["id": id])
        #expect(disabled == 200)
        let (_, listedDisabled) = await cloud.call("listRoles", ["state": "disabled"])
        #expect(listedDisabled.items.compactMap { $0["id"]?.stringValue } == [id])
        let (refusedAccount, _) = await cloud.call(
            "createAccount",
            [
                "username": "nobody", "password": "pw", "email": "n@example.com", "firstname": "F", "lastname": "L",
                "roleid": id,
            ]
        )
        #expect(refusedAccount == 431)
        let (enabled, _) = await cloud.call("enableRole", ["id": id])
        #expect(enabled == 200)
        let (_, all) = await cloud.call("listRoles")
        #expect(all.items.compactMap { $0["name"]?.stringValue } == ["Root Admin", "Domain Admin", "User", "Ops"])
        let (deleted, deletedBody) = await cloud.call("deleteRole", ["id": id])
        #expect(deleted == 200)
        #expect(deletedBody["success"] == .string("true") || deletedBody["success"] == .bool(true))
        let (gone, goneBody) = await cloud.call("deleteRole", ["id": id])
        #expect(gone == 431)
        #expect(goneBody["errortext"]?.stringValue?.contains("id") == true)
        let (_, events) = await cloud.call("listEvents", ["type": "ROLE.CREATE"])
        // One Completed event for the role created; the refused creates recorded theirs as errors.
        #expect(events.items.filter { $0["level"]?.stringValue == "INFO" }.count == 1, "\(events.json)")
    }

    @Test func rulesDecideFirstMatchFirstWhatAnAccountOfTheRoleMayCall() async throws {
        let cloud = try await TestCloud.make()
        let (_, created) = await cloud.call("createRole", ["name": "Readers", "type": "User"])
        let roleId = try #require(created["role"]?["id"]?.stringValue)
        let (denyStatus, deny) = await cloud.call(
            "createRolePermission",
            ["roleid": roleId, "rule": "listZones", "permission": "deny", "description": "no zones"]
        )
        #expect(denyStatus == 200, "\(deny.json)")
        #expect(deny["rolepermission"]?["rolename"]?.stringValue == "Readers")
        #expect(deny["rolepermission"]?["permission"]?.stringValue == "deny")
        let denyId = try #require(deny["rolepermission"]?["id"]?.stringValue)
        let (_, allow) = await cloud.call(
            "createRolePermission",
            ["roleid": roleId, "rule": "list*", "permission": "allow"]
        )
        let allowId = try #require(allow["rolepermission"]?["id"]?.stringValue)
        let (badRule, badRuleBody) = await cloud.call(
            "createRolePermission",
            ["roleid": roleId, "rule": "list-*", "permission": "allow"]
        )
        #expect(badRule == 431)
        #expect(badRuleBody["errortext"]?.stringValue?.contains("invalid rule provided: list-*") == true)
        let (duplicate, _) = await cloud.call(
            "createRolePermission",
            ["roleid": roleId, "rule": "list*", "permission": "deny"]
        )
        #expect(duplicate == 531)
        let (missingPermission, missingBody) = await cloud.call(
            "createRolePermission",
            ["roleid": roleId, "rule": "listHosts"]
        )
        #expect(missingPermission == 431)
        #expect(missingBody["errortext"]?.stringValue?.contains("permission") == true)

        let keys = try await Self.account(cloud, "reader", roleId: roleId)
        let (_, accounts) = await cloud.call("listAccounts", ["name": "reader"])
        #expect(accounts.items.first?["rolename"]?.stringValue == "Readers")
        let (refused, refusedBody) = await cloud.call("listZones", keys: keys)
        #expect(refused == 432)
        #expect(
            refusedBody["errortext"]?.stringValue
                == "The API [listZones] does not exist or is not available for the account reader."
        )
        let (listed, _) = await cloud.call("listVirtualMachines", keys: keys)
        #expect(listed == 200)
        let (_, apis) = await cloud.call("listApis", keys: keys)
        let names = Set(apis.items.compactMap { $0["name"]?.stringValue })
        #expect(!names.contains("listZones") && names.contains("listVirtualMachines"))

        let (reordered, reorderedBody) = await cloud.call(
            "updateRolePermission",
            ["roleid": roleId, "ruleorder": "\(allowId),\(denyId)"]
        )
        #expect(reordered == 200, "\(reorderedBody.json)")
        let (_, rules) = await cloud.call("listRolePermissions", ["roleid": roleId])
        #expect(rules.items.compactMap { $0["rule"]?.stringValue } == ["list*", "listZones"])
        let (nowListed, _) = await cloud.call("listZones", keys: keys)
        #expect(nowListed == 200)
        let (incomplete, _) = await cloud.call("updateRolePermission", ["roleid": roleId, "ruleorder": allowId])
        #expect(incomplete == 431)
        let (flipped, _) = await cloud.call(
            "updateRolePermission",
            ["roleid": roleId, "ruleid": allowId, "permission": "deny"]
        )
        #expect(flipped == 200)
        let (denied, _) = await cloud.call("listVirtualMachines", keys: keys)
        #expect(denied == 432)
        let (removed, _) = await cloud.call("deleteRolePermission", ["id": allowId])
        #expect(removed == 200)
        let (byType, _) = await cloud.call("listVirtualMachines", keys: keys)
        #expect(byType == 200)
        let (adminOnly, _) = await cloud.call("createRole", ["name": "x", "type": "User"], keys: keys)
        #expect(adminOnly == 432)
        let (inUse, inUseBody) = await cloud.call("deleteRole", ["id": roleId])
        #expect(inUse == 531)
        #expect(
            inUseBody["errortext"]?.stringValue == "Found accounts that have role in use, won't allow to delete role"
        )
    }

    @Test func cloneCopiesTheRulesAndImportReplacesOnlyWhenForced() async throws {
        let cloud = try await TestCloud.make()
        let rules = [
            "rules[0].rule": "deploy*", "rules[0].permission": "deny", "rules[0].description": "no new VMs",
            "rules[1].rule": "*", "rules[1].permission": "allow",
        ]
        let (status, imported) = await cloud.call(
            "importRole",
            ["name": "Auditors", "type": "DomainAdmin"].merging(rules) { _, new in new }
        )
        #expect(status == 200, "\(imported.json)")
        let importedId = try #require(imported["role"]?["id"]?.stringValue)
        #expect(imported["role"]?["type"]?.stringValue == "DomainAdmin")
        let (_, importedRules) = await cloud.call("listRolePermissions", ["roleid": importedId])
        #expect(importedRules.items.compactMap { $0["rule"]?.stringValue } == ["deploy*", "*"])
        #expect(importedRules.items.first?["description"]?.stringValue == "no new VMs")
        let (again, againBody) = await cloud.call(
            "importRole",
            ["name": "Auditors", "type": "User", "rules[0].rule": "list*", "rules[0].permission": "allow"]
        )
        #expect(again == 530)
        #expect(againBody["errortext"]?.stringValue == "Role already exists")
        let (forced, forcedBody) = await cloud.call(
            "importRole",
            [
                "name": "Auditors", "type": "User", "forced": "true", "rules[0].rule": "list*",
                "rules[0].permission": "allow",
            ]
        )
        #expect(forced == 200, "\(forcedBody.json)")
        #expect(forcedBody["role"]?["id"]?.stringValue == importedId)
        #expect(forcedBody["role"]?["type"]?.stringValue == "User")
        let (noRules, noRulesBody) = await cloud.call("importRole", ["name": "Empty", "type": "User"])
        #expect(noRules == 431)
        #expect(noRulesBody["errortext"]?.stringValue?.contains("rules") == true)

        let (cloned, clonedBody) = await cloud.call("createRole", ["name": "Auditors 2", "roleid": importedId])
        #expect(cloned == 200, "\(clonedBody.json)")
        let cloneId = try #require(clonedBody["role"]?["id"]?.stringValue)
        #expect(clonedBody["role"]?["type"]?.stringValue == "User")
        let (_, cloneRules) = await cloud.call("listRolePermissions", ["roleid": cloneId])
        #expect(cloneRules.items.compactMap { $0["rule"]?.stringValue } == ["list*"])
        #expect(cloneRules.items.first?["rolename"]?.stringValue == "Auditors 2")
        let (_, everyRule) = await cloud.call("listRolePermissions")
        #expect(everyRule.items.count == 2)
    }

    @Test func wildcardsMatchRunsOfCharactersAndTheFirstMatchingRuleDecides() {
        func rule(_ pattern: String, _ permission: String) -> RolePermission {
            RolePermission(
                id: pattern,
                roleId: "r",
                rule: pattern,
                permission: permission,
                description: "",
                sortOrder: 0
            )
        }
        #expect(rule("list*", "allow").matches("listZones"))
        #expect(rule("*VirtualMachine*", "allow").matches("deployVirtualMachine"))
        #expect(rule("*", "allow").matches("anything"))
        #expect(!rule("list*", "allow").matches("deleteZone"))
        #expect(!rule("listZones", "allow").matches("listZonesMetrics"))
        let rules = [rule("listZones", "deny"), rule("list*", "allow")]
        #expect(RolePermission.verdict(of: rules, for: "listZones") == false)
        #expect(RolePermission.verdict(of: rules, for: "listHosts") == true)
        #expect(RolePermission.verdict(of: rules, for: "deployVirtualMachine") == nil)
        #expect(
            RolePermission.isValidRule("list*") && !RolePermission.isValidRule("list-*")
                && !RolePermission.isValidRule("")
        )
    }
}
