import Logging

/// Re-reads `tenants.d/`, swaps in the new registry and logs what changed. One reload runs at a time.
public actor TenantReloader {
    public let registry: LiveTenantRegistry
    private var reader: TenantFolderReader
    private let logger: Logger
    private var lastProblems: [TenantFileProblem] = []
    /// Called with each applied change set, e.g. to close a removed tenant's database.
    private let onChange: @Sendable (_ old: TenantRegistry, _ new: TenantRegistry) -> Void

    public init(
        reader: TenantFolderReader, registry: LiveTenantRegistry, logger: Logger,
        onChange: @escaping @Sendable (TenantRegistry, TenantRegistry) -> Void = { _, _ in }
    ) {
        self.reader = reader
        self.registry = registry
        self.logger = logger
        self.onChange = onChange
    }

    /// Reads the folder and applies the result; returns the lines describing what changed.
    @discardableResult
    public func reload() -> [String] {
        let scan = reader.scan()
        guard scan.changed else { return [] }
        let old = registry.current
        let new = TenantRegistry(scan: scan, previous: old, folder: reader.displayFolder)
        let changes = TenantChanges.between(old, new)
        if !changes.isEmpty || new.problems != lastProblems {
            registry.replace(with: new)
            onChange(old, new)
        }
        for line in changes { logger.info("\(line)") }
        if new.problems != lastProblems {
            for problem in new.problems where !lastProblems.contains(problem) {
                logger.error("tenant file problem: \(problem)")
            }
            lastProblems = new.problems
        }
        return changes
    }
}
