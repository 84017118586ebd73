public import FixtureRegistry
public import Foundation
public import Hummingbird
public import Logging
public import ServiceLifecycle
import SafeJSON

/// The fixture registry's control port (fixture mode only): a second HTTP server,
/// always on 127.0.0.1, apart from the registry so that no npm client can reach it
/// by accident.
///
/// | request | effect |
/// |---|---|
/// | `POST /scenario/<name>` | activates `Registry/scenarios/<name>.json` (replacing every rule) |
/// | `DELETE /scenario` | clears every fault rule |
/// | `GET /scenario` | `{"scenario": name-or-null, "available": [...]}` |
/// | `GET /requests` | the structured request log: `{"requests": [{method, path, status, bytes, ms, scenario?}]}` |
/// | `DELETE /requests` | clears the request log |
/// | `POST /rotate-key` | rotates the signing key now; `{"keyid": new-key-id}` |
public struct AdminServer: RegistryControlPort {
    /// The plan the scenarios are activated in.
    public let faults: FaultPlan
    /// The folder scenarios are loaded from by name (none without one).
    public let scenarios: URL?

    public init(faults: FaultPlan, scenarios: URL?) {
        self.faults = faults
        self.scenarios = scenarios
    }

    public func application(storage: RegistryStorage, requestLog: RequestLog, logger: Logger,
                            onRunning: @escaping @Sendable (_ baseURL: String) async -> Void) -> any Service {
        Self.buildApplication(storage: storage, faults: faults, requestLog: requestLog, scenarios: scenarios, logger: logger,
                              onRunning: onRunning)
    }


    /// Builds the control application for `storage`, `faults` and `requestLog`; scenarios are
    /// loaded by name from the `scenarios` folder (none without one).
    public static func buildApplication(
        storage: RegistryStorage,
        faults: FaultPlan,
        requestLog: RequestLog,
        scenarios: URL?,
        port: Int = 0,
        logger: Logger = Logger(label: "fixture-registry-admin"),
        onRunning: @escaping @Sendable (_ baseURL: String) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        router.post("scenario/:name") { _, context -> Response in
            let name = context.parameters.get("name") ?? ""
            do throws(RegistryError) {
                guard let scenarios else { throw .invalidScenario(name, reason: "this registry was given no scenario folder") }
                let scenario = try FaultScenario.load(named: name, from: scenarios)
                faults.activate(scenario)
                context.logger.info("scenario \(name) active")
                return RegistryResponse.json(["scenario": .string(name), "description": .string(scenario.description),
                                              "expect": .string(scenario.expect)])
            } catch {
                return RegistryResponse.error(.notFound, error.description)
            }
        }
        router.delete("scenario") { _, _ -> Response in
            faults.clearRules()
            return RegistryResponse.json(["scenario": .null])
        }
        router.get("scenario") { _, _ -> Response in
            RegistryResponse.json(["scenario": faults.activeScenario.map(JSONValue.string) ?? .null,
                                   "available": .array((scenarios.map(FaultScenario.names(in:)) ?? []).map(JSONValue.string))])
        }
        router.get("requests") { _, _ -> Response in RegistryResponse.json(requestLog.document) }
        router.delete("requests") { _, _ -> Response in
            requestLog.clear()
            return RegistryResponse.json(["ok": true])
        }
        router.post("rotate-key") { _, _ -> Response in
            do throws(RegistryError) {
                return RegistryResponse.json(["keyid": .string(try storage.keyring.rotate())])
            } catch {
                return RegistryResponse.error(for: error)
            }
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: "fixture-registry-admin"),
            onServerRunning: { channel in
                await onRunning("http://127.0.0.1:\(channel.localAddress?.port ?? port)/")
            },
            logger: logger
        )
    }
}
