/// How often a tenant is backed up and how many backups are kept: the server's default (`--backup-every`,
/// `--backup-keep`), changed per tenant by `backup: {every: 6h, keep: 28}` in its YAML file.
public struct BackupSchedule: Sendable, Equatable {
    /// nil: no scheduled backups.
    public var every: Duration?
    public var keep: Int

    public init(every: Duration?, keep: Int) {
        self.every = every
        self.keep = keep
    }

    public static let defaults = BackupSchedule(every: .seconds(24 * 3600), keep: 14)

    /// What a tenant file may change; an absent key keeps the server's default.
    public struct Override: Sendable, Equatable {
        /// `.some(nil)` is `every: off`.
        public var every: Duration??
        public var keep: Int?

        public init(every: Duration?? = nil, keep: Int? = nil) {
            self.every = every
            self.keep = keep
        }

        public func applied(to schedule: BackupSchedule) -> BackupSchedule {
            BackupSchedule(every: every ?? schedule.every, keep: keep ?? schedule.keep)
        }
    }

    public static let intervalRule = "a number of minutes, hours or days like 30m, 6h or 1d (at least 5m, at most 30d), or off"

    /// `30m`, `6h`, `1d` or `off` (→ `.some(nil)`); nil when the text is none of these.
    public static func interval(_ text: String) -> Duration?? {
        if text == "off" { return .some(nil) }
        guard let unit = text.last, let count = Int(text.dropLast()), count > 0 else { return nil }
        let minutes: Int
        switch unit {
        case "m": minutes = count
        case "h": minutes = count * 60
        case "d": minutes = count * 24 * 60
        default: return nil
        }
        guard (5...30 * 24 * 60).contains(minutes) else { return nil }
        return .some(.seconds(minutes * 60))
    }

    /// `6h`, as written in YAML.
    public static func describe(_ every: Duration?) -> String {
        guard let every else { return "off" }
        let minutes = Int(every.components.seconds / 60)
        if minutes % (24 * 60) == 0 { return "\(minutes / (24 * 60))d" }
        if minutes % 60 == 0 { return "\(minutes / 60)h" }
        return "\(minutes)m"
    }
}
