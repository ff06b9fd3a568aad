import GRDB

/// Statements prepared once per connection and reused: preparing (parsing, authorising, planning) costs more than
/// running most of ClinicBox's small queries. Use them for fixed SQL text with bound arguments on per-request paths;
/// the cache is keyed by the text, so text built from request values would grow it without bound.
extension Database {
    package func executeCached(_ sql: String, _ arguments: StatementArguments = []) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    package func fetchOneCached(_ sql: String, _ arguments: StatementArguments = []) throws -> Row? {
        try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    package func fetchAllCached(_ sql: String, _ arguments: StatementArguments = []) throws -> [Row] {
        try Row.fetchAll(cachedStatement(sql: sql), arguments: arguments)
    }

    package func fetchCached<Value: DatabaseValueConvertible & StatementColumnConvertible>(
        _ type: Value.Type,
        _ sql: String,
        _ arguments: StatementArguments = []
    ) throws -> Value? {
        try Value.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }
}
