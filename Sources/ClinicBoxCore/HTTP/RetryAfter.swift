extension Duration {
    /// The whole seconds a `Retry-After` header gives for this wait: rounded up, at least 1.
    package var retryAfterSeconds: Int {
        let (seconds, attoseconds) = components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }
}
