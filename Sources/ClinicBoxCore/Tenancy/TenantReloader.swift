import Logging

/// Re-reads `tenants.d/`, swaps in the new registry and logs what changed. One reload runs at a time.
public actor TenantReloader {
    public let registry: LiveTenantRegistry
    private var reader: TenantFolderReader
    private let logger: Logger
    private var lastProblems: [TenantFileProblem] = []
    /// Called with each applied change set, e.g. to close a removed tenant's database.
    private let onChange: @Sendable (_ old: TenantRegistry, _ new: TenantRegistry, _ changes: [TenantChange]) async -> Void

    public init(
        reader: TenantFolderReader,
        registry: LiveTenantRegistry,
        logger: Logger,
        onChange: @escaping @Sendable (TenantRegistry, TenantRegistry, [TenantChange]) async -> Void = { _, _, _ in }
    ) {
        self.reader = reader
        self.registry = registry
        self.logger = logger
        self.onChange = onChange
    }

    /// Reads the folder and applies the result; returns the lines describing what changed.
    @discardableResult
    public func reload() async -> [String] {
        let scan = reader.scan()
        guard scan.changed else { return [] }
        let old = registry.current
        let new = TenantRegistry(scan: scan, previous: old, folder: reader.displayFolder)
        let changes = TenantChanges.between(old, new)
        if !changes.isEmpty || new.problems != lastProblems {
            registry.replace(with: new)
            await onChange(old, new, changes)
        }
        for change in changes { logger.info("\(change.line)") }
        if new.problems != lastProblems {
            for problem in new.problems where !lastProblems.contains(problem) {
                logger.error("tenant file problem: \(problem)")
            }
            lastProblems = new.problems
        }
        return changes.map(\.line)
    }
}
