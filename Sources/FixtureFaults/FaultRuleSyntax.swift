import FixtureRegistry
import Foundation
import SafeJSON

/// Reads one rule of a scenario file (see ``FaultScenario`` for the shapes).
enum FaultRuleSyntax {
    static func rule(_ json: JSONValue) throws(ScenarioSyntaxError) -> FaultRule {
        guard let object = json.objectValue else { throw ScenarioSyntaxError("expected an object") }
        guard let matchJSON = object["match"] else { throw ScenarioSyntaxError("expected \"match\"") }
        guard let actionJSON = object["action"] else { throw ScenarioSyntaxError("expected \"action\"") }
        var times: Int?
        if let value = object["times"], value != .null {
            guard let number = value.numberValue, (1...1_000_000).contains(number), number == number.rounded() else {
                throw ScenarioSyntaxError("\"times\" must be an integer in 1...1000000 or null")
            }
            times = Int(number)
        }
        let perPath = object["perPath"]?.boolValue ?? false
        return FaultRule(try match(matchJSON), try action(actionJSON), times: times, perPath: perPath)
    }

    static func match(_ json: JSONValue) throws(ScenarioSyntaxError) -> FaultMatch {
        if json.stringValue == "any" { return .any }
        guard let object = json.objectValue, object.count == 1, let (key, value) = object.first else {
            throw ScenarioSyntaxError("\"match\" must be \"any\" or an object with one key")
        }
        switch key {
        case "kind":
            guard let kind = value.stringValue.flatMap(FaultRouteKind.init(rawValue:)) else {
                throw ScenarioSyntaxError("match.kind must be one of \(FaultRouteKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .kind(kind)
        case "package": return .package(try string(value, "match.package"))
        case "packument": return .packument(try string(value, "match.packument"))
        case "path": return .path(try string(value, "match.path"))
        case "tarball":
            return .tarball(name: try string(value["name"], "match.tarball.name"),
                            version: try string(value["version"], "match.tarball.version"))
        default: throw ScenarioSyntaxError("unknown match \"\(key)\"")
        }
    }

    static func action(_ json: JSONValue) throws(ScenarioSyntaxError) -> FaultAction {
        let type = try string(json["type"], "action.type")
        switch type {
        case "status":
            let code = try integer(json["status"], "action.status", 100...599)
            return .status(code, message: json["message"]?.stringValue ?? "fault injected by the fixture registry")
        case "corruptTarball": return .corruptTarball
        case "replaceTarball":
            guard let bytes = json["base64"]?.stringValue.flatMap({ Data(base64Encoded: $0) }) else {
                throw ScenarioSyntaxError("action.base64 must be base64")
            }
            return .replaceTarball(bytes)
        case "delay": return .delay(.milliseconds(try integer(json["ms"], "action.ms", 0...600_000)))
        case "dropConnection": return .dropConnection
        case "packument":
            guard let fault = json["fault"]?.stringValue.flatMap(PackumentFault.init(rawValue:)) else {
                throw ScenarioSyntaxError("action.fault must be one of \(PackumentFault.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .packument(fault, version: json["version"]?.stringValue)
        case "expireKeys": return .expireKeys
        case "swapAttestation": return .swapAttestation
        case "slowBody":
            return .slowBody(chunkBytes: try integer(json["chunkBytes"], "action.chunkBytes", 1...(1 << 20)),
                             interval: .milliseconds(try integer(json["intervalMs"], "action.intervalMs", 0...60_000)))
        case "truncateBody": return .truncateBody
        case "contentType":
            return .contentType(try string(json["contentType"], "action.contentType"), body: json["body"]?.stringValue.map { Data($0.utf8) })
        default: throw ScenarioSyntaxError("unknown action type \"\(type)\"")
        }
    }

    private static func string(_ json: JSONValue?, _ field: String) throws(ScenarioSyntaxError) -> String {
        guard let value = json?.stringValue, !value.isEmpty else { throw ScenarioSyntaxError("\(field) must be a non-empty string") }
        return value
    }

    private static func integer(_ json: JSONValue?, _ field: String, _ range: ClosedRange<Int>) throws(ScenarioSyntaxError) -> Int {
        guard let number = json?.numberValue, number == number.rounded(),
              (Double(range.lowerBound)...Double(range.upperBound)).contains(number) else {
            throw ScenarioSyntaxError("\(field) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return Int(number)
    }
}
