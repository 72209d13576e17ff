import CloudCore
import CloudModel
import Orchestrator

/// listApis (from the registry itself) and configureSimulator.
enum DiscoveryCommands {
    static var all: [CommandDescriptor] { [listApis, configureSimulator] }

    static let listApis = CommandDescriptor(
        "listApis",
        "lists all available apis on the server",
        parameters: [ParameterDescriptor("name", .string, "API name")]
    ) { context in
        // As dispatch decides (CloudStack's getApisAllowedToAccount): an account's own role's rules first.
        let rules = try await context.core.roles.rules(of: context.caller)
        let commands = context.server.commands.filter { command in
            let byType = command.roles.contains(context.caller.role)
            let allowed = rules.flatMap { RolePermission.verdict(of: $0, for: command.name) } ?? byType
            return allowed && (context.string("name").map { $0 == command.name } ?? true)
        }
        let items: [APIValue] = commands.map { command in
            .object([
                ("name", .string(command.name)), ("description", .string(command.description)),
                ("isasync", .bool(command.isAsync)), ("since", .string("4.0.0")), ("related", .string("")),
                ("type", .string("")),
                (
                    "params",
                    .array(
                        command.parameters.map { parameter in
                            .object([
                                ("name", .string(parameter.name)), ("description", .string(parameter.description)),
                                ("type", .string(parameter.kind.rawValue)), ("required", .bool(parameter.required)),
                                ("length", .int(parameter.maxLength)), ("related", .string("")),
                            ])
                        }
                    )
                ),
                ("response", .array([])),
            ])
        }
        return .list(item: "api", total: items.count, items: items)
    }

    static let configureSimulator = CommandDescriptor(
        "configureSimulator",
        "configure simulator",
        roles: [.rootAdmin],
        events: .unrecorded("configures the simulated hypervisor, not a cloud resource"),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "agent command name, e.g. StartCommand"),
            ParameterDescriptor("value", .string, required: true, "result:fail | result:success | wait:MILLIS"),
            ParameterDescriptor("count", .integer, "how many times the rule applies"),
        ]
    ) { context in
        let name = try context.required("name")
        var fail = false
        var delay = 0
        for option in try context.required("value").split(separator: ";") {
            let parts = option.split(separator: ":", maxSplits: 1).map(String.init)
            switch (parts.first, parts.count > 1 ? parts[1] : nil) {
            case ("result", "fail"): fail = true
            case ("result", "success"): fail = false
            case ("wait", let millis?) where Int(millis).map({ (0...3_600_000).contains($0) }) == true:
                delay = Int(millis) ?? 0
            default: throw CloudError.invalidParameter(context.command, "value", String(option))
            }
        }
        let rule =
            fail || delay > 0
            ? SimulatorDriver.Rule(fail: fail, delayMilliseconds: delay, remaining: context.int("count")) : nil
        context.server.simulator.configure(rule, for: name)
        return .flat([("success", .bool(true))])
    }
}
