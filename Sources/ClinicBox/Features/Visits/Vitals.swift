/// The vital signs a visit records, each with the range a real measurement falls in. A value outside it is a
/// typing mistake far more often than a patient (`57` for `37.5`), so it is refused with the range.
struct Vital: Sendable {
    var name: String
    var label: String
    var unit: String
    var range: ClosedRange<Double>
    /// Stored as a whole number (mmHg, beats a minute, %), else with one decimal.
    var whole: Bool

    static let all: [Vital] = [
        Vital(name: "systolic", label: "Blood pressure, systolic", unit: "mmHg", range: 50...260, whole: true),
        Vital(name: "diastolic", label: "Blood pressure, diastolic", unit: "mmHg", range: 30...160, whole: true),
        Vital(name: "pulse", label: "Pulse", unit: "/min", range: 20...250, whole: true),
        Vital(name: "respiratory_rate", label: "Respiratory rate", unit: "/min", range: 4...70, whole: true),
        Vital(name: "temperature", label: "Temperature", unit: "°C", range: 25...45, whole: false),
        Vital(name: "spo2", label: "SpO₂", unit: "%", range: 50...100, whole: true),
        Vital(name: "weight", label: "Weight", unit: "kg", range: 0.3...400, whole: false),
        Vital(name: "height", label: "Height", unit: "cm", range: 20...250, whole: false),
        Vital(name: "glucose", label: "Blood glucose", unit: "mmol/L", range: 1...50, whole: false),
    ]

    static var names: [String] { all.map(\.name) }

    /// Body mass index from kg and cm, to one decimal.
    static func bmi(weight: Double?, height: Double?) -> Double? {
        guard let weight, let height, height > 0 else { return nil }
        return ((weight / (height / 100 * height / 100)) * 10).rounded() / 10
    }

    /// `bmi` as SQL over the visits row `v`.
    static let bmiSQL = "CASE WHEN v.weight IS NOT NULL AND v.height > 0 THEN round(v.weight / ((v.height / 100.0) * (v.height / 100.0)), 1) END"
}
