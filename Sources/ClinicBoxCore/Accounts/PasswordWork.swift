import Dispatch
import Foundation
import Synchronization

/// Runs scrypt off Swift's cooperative thread pool: a hash holds a core and 16 MiB for tens of milliseconds, and on a
/// 2-core box a burst of logins on the pool would stall every other request. One serial queue per core bounds both
/// the CPU and the memory that password work can take, however many logins arrive at once.
package enum PasswordWork {
    private static let queues = (0..<max(1, ProcessInfo.processInfo.activeProcessorCount)).map {
        DispatchQueue(label: "clinicbox.password.\($0)", qos: .userInitiated)
    }
    private static let next = Atomic<Int>(0)

    package static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        let index = next.add(1, ordering: .relaxed).newValue % queues.count
        return await withCheckedContinuation { continuation in
            queues[index].async { continuation.resume(returning: work()) }
        }
    }
}

extension PasswordHasher {
    /// `verify`, off the cooperative pool.
    package static func verifyOffPool(_ password: String, against encoded: String) async -> Bool {
        await PasswordWork.run { verify(password, against: encoded) }
    }

    /// `hash`, off the cooperative pool.
    package static func hashOffPool(_ password: String) async throws(Failure) -> String {
        try await PasswordWork.run { Result { () throws(Failure) in try hash(password) } }.get()
    }
}
