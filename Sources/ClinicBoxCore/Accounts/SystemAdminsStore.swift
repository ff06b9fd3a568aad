import Synchronization

/// Opens `system.sqlite` the first time a system administrator is needed, not at start.
public final class SystemAdminsStore: Sendable {
    private let dataFolder: String
    private let throttle = LoginThrottle()
    private let opened = Mutex<SystemAdmins?>(nil)

    public init(dataFolder: String) {
        self.dataFolder = dataFolder
    }

    public func admins() throws -> SystemAdmins {
        try opened.withLock { opened in
            if let opened { return opened }
            let admins = try SystemAdmins.open(dataFolder: dataFolder, throttle: throttle)
            opened = admins
            return admins
        }
    }
}
